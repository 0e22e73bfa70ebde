namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Runs work items with at most <c>limit</c> in flight, accepting items while earlier ones run (as a pipeline delivers
/// them). Each item reports its own outcome; the runner only bounds, counts and cancels. Used for the paths the
/// library's batch does not cover: submit-only (-NoWait), synchronous calls, and collecting or waiting for jobs.
/// </summary>
internal sealed class ThrottledRunner : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _added, _running, _finished, _pending, _completed;

    public ThrottledRunner(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _slots = new SemaphoreSlim(limit, limit);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Completes once <see cref="Complete"/> was called and every added item has ended (or was cancelled).</summary>
    public Task Completion => _done.Task;

    public int Added => Volatile.Read(ref _added);

    public int Running => Volatile.Read(ref _running);

    public int Finished => Volatile.Read(ref _finished);

    public bool IsCancelled => _stop.IsCancellationRequested;

    /// <summary>Starts <paramref name="work"/> as soon as a slot is free. Returns false once cancelled.</summary>
    public bool Add(Func<CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_stop.IsCancellationRequested || Volatile.Read(ref _completed) != 0)
        {
            return false;
        }
        Interlocked.Increment(ref _added);
        Interlocked.Increment(ref _pending);
        _ = RunAsync(work);
        return true;
    }

    /// <summary>No more items will be added.</summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _completed, 1);
        if (Volatile.Read(ref _pending) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Items not yet started never start; running items see their token cancelled.</summary>
    public void Cancel()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task> work)
    {
        var token = _stop.Token;
        try
        {
            await _slots.WaitAsync(token).ConfigureAwait(false);
            try
            {
                // A slot freed by a cancelled item can be granted just as cancellation arrives: don't start then.
                token.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _running);
                try
                {
                    await work(token).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                }
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Increment(ref _finished);
            if (Interlocked.Decrement(ref _pending) == 0 && Volatile.Read(ref _completed) != 0)
            {
                _done.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        Cancel();
        // Items still running hold the semaphore; it is left for the collector rather than disposed under them.
        if (Completion.IsCompleted)
        {
            _stop.Dispose();
            _slots.Dispose();
        }
    }
}
