using System.Collections.Concurrent;
using System.Management.Automation;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// A cmdlet whose work runs asynchronously while everything it writes (objects, errors, verbose,
/// warnings, progress) is marshalled back to the pipeline thread, the only thread PowerShell lets
/// write. Ctrl+C cancels <see cref="CancelToken"/>, and work that ends cancelled by it ends the command as stopped, so
/// commands need no handling of their own for it.
/// </summary>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<Action> _pipelineActions = new();
    private int _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken CancelToken => _stop.Token;

    protected override void StopProcessing()
    {
        _stop.Cancel();
        OnStopping();
    }

    /// <summary>Runs on the thread that stops the pipeline, after <see cref="CancelToken"/> is cancelled.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>Runs <paramref name="work"/> to completion, executing what it posts on this (the pipeline) thread meanwhile.</summary>
    protected void Await(Func<CancellationToken, Task> work)
    {
        BeforeAwait();
        PumpUntil(Task.Run(() => work(CancelToken)));
    }

    /// <summary>Runs <paramref name="work"/> and returns its result, executing what it posts on this thread meanwhile.</summary>
    protected T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        BeforeAwait();
        var task = Task.Run(() => work(CancelToken));
        PumpUntil(task);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs on the pipeline thread before work starts elsewhere: the place to create, while writing is still allowed,
    /// whatever the work uses lazily (sessions and clients write verbose messages when created).
    /// </summary>
    protected virtual void BeforeAwait()
    {
    }

    /// <summary>
    /// Executes posted pipeline actions on the calling (pipeline) thread until <paramref name="task"/> ends, then rethrows
    /// its failure; a cancellation caused by <see cref="StopProcessing"/> becomes <see cref="PipelineStoppedException"/>.
    /// </summary>
    private void PumpUntil(Task task)
    {
        using var finished = new CancellationTokenSource();
        task.ContinueWith(_ => finished.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!finished.IsCancellationRequested)
        {
            try
            {
                if (_pipelineActions.TryTake(out Action? action, Timeout.Infinite, finished.Token))
                {
                    action();
                }
            }
            catch (OperationCanceledException) when (finished.IsCancellationRequested)
            {
            }
        }
        DrainPosted();
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            // How PowerShell expects a stopped command to end: quietly, without an error record.
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Executes whatever has been posted so far, without waiting for more.</summary>
    protected void DrainPosted()
    {
        while (_pipelineActions.TryTake(out Action? action))
        {
            action();
        }
    }

    /// <summary>Queues an action for the pipeline thread; safe from any thread, ignored once the cmdlet is done.</summary>
    protected void Post(Action action)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }
        try
        {
            _pipelineActions.Add(action);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // A late log line from a worker after the cmdlet finished has nowhere to go.
        }
    }

    protected void PostObject(object? value) => Post(() => WriteObject(value));

    protected void PostVerbose(string message) => Post(() => WriteVerbose(message));

    protected void PostDebug(string message) => Post(() => WriteDebug(message));

    protected void PostWarning(string message) => Post(() => WriteWarning(message));

    protected void PostError(ErrorRecord error) => Post(() => WriteError(error));

    protected void PostProgress(ProgressRecord progress) => Post(() => WriteProgress(progress));

    /// <summary>Releases what a derived cmdlet holds (batches, clients) before the queues go away.</summary>
    protected virtual void DisposeResources()
    {
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stop.Cancel();
        DisposeResources();
        _pipelineActions.CompleteAdding();
        _stop.Dispose();
        _pipelineActions.Dispose();
        GC.SuppressFinalize(this);
    }
}
