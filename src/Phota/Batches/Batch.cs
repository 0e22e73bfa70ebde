using System.Collections.Concurrent;
using System.Threading.Channels;
using Phota.Errors;
using Phota.Jobs;
using Phota.Studio;

namespace Phota.Batches;

/// <summary>What a batch does with each item.</summary>
public enum BatchMode
{
    /// <summary>Submit an async job, wait for it, save its images (the default).</summary>
    SubmitAndSave,
    /// <summary>Submit an async job only; the result carries the job (collect it later).</summary>
    SubmitOnly,
    /// <summary>One synchronous call per item (the connection is held until the images are ready), then save them.</summary>
    Synchronous,
    /// <summary>Items are existing jobs (<see cref="BatchItem.Job"/>): one status check each; the result carries the status.</summary>
    CheckJobs,
    /// <summary>Items are existing jobs: wait for each to finish; the result carries its final status.</summary>
    WaitForJobs,
    /// <summary>
    /// Items are existing jobs: collect each (recover a lost job id, wait if <see cref="BatchOptions.WaitForUnfinished"/>,
    /// save what is not saved yet). Until collected, a job is in <see cref="Batch.UncollectedJobIds"/>.
    /// </summary>
    CollectJobs,
}

/// <summary>Settings of a batch.</summary>
public sealed record BatchOptions
{
    /// <summary>
    /// Jobs in flight at once (submitting or running on the server). Saving finished results runs beside them, up
    /// to the same number at once, so a slot goes to the next item as soon as its job is done.
    /// </summary>
    public int Concurrency { get; init; } = 8;

    public BatchMode Mode { get; init; } = BatchMode.SubmitAndSave;

    /// <summary>
    /// Time limit for each item's job wait (<see cref="BatchMode.SubmitAndSave"/>) or synchronous call
    /// (<see cref="BatchMode.Synchronous"/>). Null: the client's <see cref="PhotaClientOptions.JobWaitTimeout"/>, or
    /// for synchronous calls the session's timeout, else <see cref="PhotaClientOptions.SyncAttemptTimeout"/>.
    /// </summary>
    public TimeSpan? WaitTimeout { get; init; }

    /// <summary>Where results go unless an item says otherwise.</summary>
    public required OutputOptions Output { get; init; }

    /// <summary>
    /// False: finished results are not downloaded; each result carries its <see cref="BatchItemResult.Links"/> (the
    /// signed URLs) instead (<see cref="BatchMode.SubmitAndSave"/>, <see cref="BatchMode.Synchronous"/>, <see cref="BatchMode.CollectJobs"/>).
    /// </summary>
    public bool SaveResults { get; init; } = true;

    /// <summary>In <see cref="BatchMode.CollectJobs"/>: wait for jobs still running (otherwise they are a <see cref="ErrorKind.JobNotFinished"/> error).</summary>
    public bool WaitForUnfinished { get; init; } = true;

    /// <summary>Called on worker threads whenever an item changes stage; keep it cheap and thread-safe.</summary>
    public Action<BatchItem, StudioStage>? OnStage { get; init; }
}

/// <summary>
/// One unit of work: a studio request, or (<see cref="ForJob"/>) an existing job, with anything the caller wants back
/// with its result.
/// </summary>
public sealed record BatchItem(StudioRequest? Request, object? State = null, OutputOptions? Output = null)
{
    /// <summary>The existing job this item is about (the job modes); null for a studio request.</summary>
    public JobReference? Job { get; init; }

    public static BatchItem ForJob(JobReference job, object? state = null, OutputOptions? output = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new BatchItem(null, state, output) { Job = job };
    }
}

/// <summary>An existing job: the id it was given by (job id or client request id) and its journal entry, if the journal has it.</summary>
public sealed record JobReference(string Id, JournalEntry? Entry = null)
{
    /// <summary>The server's job id, or for a submit that never got one, its client request id.</summary>
    public string JobId => Entry?.JobId ?? Entry?.ClientRequestId ?? Id;
}

/// <summary>
/// The outcome of one item: its saved images (its job alone in <see cref="BatchMode.SubmitOnly"/>), or its error (the
/// rest of the batch carries on).
/// </summary>
public sealed record BatchItemResult
{
    public required BatchItem Item { get; init; }

    public SubmittedJob? Job { get; init; }

    public IReadOnlyList<SavedImage> Images { get; init; } = [];

    /// <summary>The results' download URLs, when the batch does not save them (<see cref="BatchOptions.SaveResults"/> false).</summary>
    public IReadOnlyList<ResultLink> Links { get; init; } = [];

    /// <summary>The job's status, in <see cref="BatchMode.CheckJobs"/> and <see cref="BatchMode.WaitForJobs"/>.</summary>
    public Models.JobStatus? Status { get; init; }

    public Exception? Error { get; init; }

    public bool Succeeded => Error is null;
}

/// <summary>Counts for a progress bar.</summary>
public sealed record BatchProgress(int Added, int Queued, int Submitting, int Waiting, int Downloading, int Succeeded, int Failed)
{
    public int Finished => Succeeded + Failed;
}

/// <summary>
/// A running batch: of studio requests, or of existing jobs to check, wait for or collect. Items are added while it runs (as a pipeline delivers them) and processed by a fixed number of
/// workers; each result is available from <see cref="Results"/> as soon as it completes, in completion order, for
/// the caller to consume on its own thread. A failed item becomes that item's error; an error that every later item
/// would hit too (bad or missing key, no credit, journal unwritable) stops the batch at once and ends
/// <see cref="Results"/> with that one exception. Cancelling stops promptly; <see cref="UncollectedJobs"/> then lists
/// the paid jobs whose results were not saved (they are in the journal).
/// </summary>
public sealed class Batch : IAsyncDisposable
{
    private readonly PhotaClient _client;
    private readonly BatchOptions _options;
    private readonly Channel<BatchItem> _input = Channel.CreateUnbounded<BatchItem>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly Channel<BatchItemResult> _output = Channel.CreateUnbounded<BatchItemResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _callerToken;
    private readonly ConcurrentDictionary<string, SubmittedJob> _uncollected = new(StringComparer.Ordinal);
    // Existing jobs given to collect, by id, with the order they were added in.
    private readonly ConcurrentDictionary<string, long> _toCollect = new(StringComparer.Ordinal);
    // Finished jobs waiting to be saved; bounded, so saving that falls behind slows submitting down.
    private readonly Channel<PendingSave> _saves;
    private readonly Task[] _workers;
    private readonly Task[] _savers;
    private int _added, _submitting, _waiting, _downloading, _succeeded, _failed;
    private long _collectOrder;
    private PhotaException? _fatal;

    internal Batch(PhotaClient client, BatchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Concurrency < 1)
        {
            throw new PhotaInputException("concurrency", $"{options.Concurrency} is not valid.", "Use 1 or more.");
        }

        _client = client;
        _options = options;
        _callerToken = cancellationToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _saves = Channel.CreateBounded<PendingSave>(new BoundedChannelOptions(options.Concurrency) { SingleWriter = false, SingleReader = false });
        _workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(() => DrainAsync(_input.Reader, (item, token) => ProcessItemAsync(new ItemProgress(item), token)))).ToArray();
        _savers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(() => DrainAsync(_saves.Reader, SaveItemAsync))).ToArray();
        Completion = FinishAsync();
    }

    /// <summary>Results in completion order. Ends when every item is done; ends with an exception if the batch stopped.</summary>
    public ChannelReader<BatchItemResult> Results => _output.Reader;

    /// <summary>Completes when the batch has ended (never faults; see <see cref="FatalError"/>).</summary>
    public Task Completion { get; }

    /// <summary>The error that stopped the whole batch, if any.</summary>
    public PhotaException? FatalError => Volatile.Read(ref _fatal);

    /// <summary>
    /// Jobs submitted (and paid for) whose results have not been saved: after a stop, collect them later. In
    /// <see cref="BatchMode.SubmitOnly"/> that is every job submitted.
    /// </summary>
    public IReadOnlyList<SubmittedJob> UncollectedJobs => _uncollected.Values.OrderBy(j => j.SubmittedAt).ToList();

    /// <summary>
    /// Ids of the jobs whose results are still to be saved: the <see cref="UncollectedJobs"/>, and in
    /// <see cref="BatchMode.CollectJobs"/> every job given that was not collected (queued, in flight, not finished).
    /// </summary>
    public IReadOnlyList<string> UncollectedJobIds
        => [.. UncollectedJobs.Select(j => j.JobId), .. _toCollect.OrderBy(p => p.Value).Select(p => p.Key)];

    /// <summary>Queues an item. Returns false once the batch has stopped or <see cref="Complete"/> was called.</summary>
    public bool Add(BatchItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var forJobs = _options.Mode is BatchMode.CheckJobs or BatchMode.WaitForJobs or BatchMode.CollectJobs;
        if (forJobs ? item.Job is null : item.Request is null)
        {
            throw new ArgumentException(forJobs ? $"A {_options.Mode} batch takes existing jobs (BatchItem.ForJob)." : $"A {_options.Mode} batch takes studio requests.", nameof(item));
        }

        if (_stop.IsCancellationRequested)
        {
            return false;
        }

        if (_options.Mode == BatchMode.CollectJobs)
        {
            _toCollect.TryAdd(item.Job!.JobId, Interlocked.Increment(ref _collectOrder));
        }

        if (!_input.Writer.TryWrite(item))
        {
            if (_options.Mode == BatchMode.CollectJobs)
            {
                _toCollect.TryRemove(item.Job!.JobId, out _);
            }

            return false;
        }

        Interlocked.Increment(ref _added);
        return true;
    }

    /// <summary>No more items will be added.</summary>
    public void Complete() => _input.Writer.TryComplete();

    /// <summary>Stops the batch: no new submits; in-flight waits and downloads end promptly.</summary>
    public void Cancel()
    {
        _input.Writer.TryComplete();
        _stop.Cancel();
    }

    public BatchProgress GetProgress()
    {
        int submitting = Volatile.Read(ref _submitting), waiting = Volatile.Read(ref _waiting), downloading = Volatile.Read(ref _downloading);
        int succeeded = Volatile.Read(ref _succeeded), failed = Volatile.Read(ref _failed), added = Volatile.Read(ref _added);
        var queued = Math.Max(0, added - submitting - waiting - downloading - succeeded - failed);
        return new BatchProgress(added, queued, submitting, waiting, downloading, succeeded, failed);
    }

    /// <summary>Reads every result as it completes (throws the batch's fatal error, or cancellation, at the end).</summary>
    public IAsyncEnumerable<BatchItemResult> ReadAllAsync(CancellationToken cancellationToken = default) => _output.Reader.ReadAllAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Cancel();
        await Completion.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// One worker: takes items from <paramref name="reader"/> until it is completed or the batch stops, and writes what
    /// <paramref name="work"/> reports to the output. The submit workers and the save workers are both this loop.
    /// </summary>
    private async Task DrainAsync<T>(ChannelReader<T> reader, Func<T, CancellationToken, Task<BatchItemResult?>> work)
    {
        var token = _stop.Token;
        try
        {
            await foreach (var item in reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                // A stopped batch starts nothing new, even with items already queued.
                token.ThrowIfCancellationRequested();
                if (await work(item, token).ConfigureAwait(false) is { } result)
                {
                    _output.Writer.TryWrite(result);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Submits an item and waits for its job; hands a finished job to the savers. Null: nothing to report (stopped, or saving it).</summary>
    private async Task<BatchItemResult?> ProcessItemAsync(ItemProgress progress, CancellationToken token)
    {
        var item = progress.Item;
        if (item.Job is { } job)
        {
            return await ProcessJobAsync(progress, job, token).ConfigureAwait(false);
        }

        try
        {
            var output = item.Output ?? _options.Output;
            if (_options.Mode == BatchMode.Synchronous)
            {
                Enter(progress, StudioStage.Waiting);
                if (!_options.SaveResults)
                {
                    return Succeed(progress, [], links: await _client.LinkSynchronousAsync(item.Request!, _options.WaitTimeout, token).ConfigureAwait(false));
                }

                var saved = await _client.SendSynchronousAndSaveAsync(item.Request!, output, null, _options.WaitTimeout, token).ConfigureAwait(false);
                return Succeed(progress, saved);
            }

            Enter(progress, StudioStage.Submitting);
            progress.Job = await _client.SubmitInternalAsync(item.Request!, output, token).ConfigureAwait(false);
            _uncollected[progress.Job.ClientRequestId] = progress.Job;
            if (_options.Mode == BatchMode.SubmitOnly)
            {
                return Succeed(progress, []);
            }

            Enter(progress, StudioStage.Waiting);
            var status = await _client.WaitInternalAsync(progress.Job, _options.WaitTimeout, token).ConfigureAwait(false);
            if (!_options.SaveResults)
            {
                var links = _client.LinkInternal(item.Request!, progress.Job, status.Value);
                _uncollected.TryRemove(progress.Job.ClientRequestId, out _);
                return Succeed(progress, [], links: links);
            }

            await _saves.Writer.WriteAsync(new PendingSave(progress, status.Value, output), token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return Fail(progress, e, token);
        }
    }

    /// <summary>An item about an existing job: check it, wait for it, or collect it.</summary>
    private async Task<BatchItemResult?> ProcessJobAsync(ItemProgress progress, JobReference job, CancellationToken token)
    {
        try
        {
            Enter(progress, StudioStage.Waiting);
            switch (_options.Mode)
            {
                case BatchMode.CheckJobs:
                    return Succeed(progress, [], await _client.CheckInternalAsync(job.JobId, job.Entry, token).ConfigureAwait(false));
                case BatchMode.WaitForJobs:
                    var status = await _client.WaitInternalAsync(job.JobId, job.Entry?.ClientRequestId, _options.WaitTimeout, token).ConfigureAwait(false);
                    return Succeed(progress, [], status.Value);
                case BatchMode.CollectJobs when !_options.SaveResults:
                    var links = await _client.GetResultLinksAsync(job.JobId, _options.WaitForUnfinished, _options.WaitTimeout, token).ConfigureAwait(false);
                    _toCollect.TryRemove(job.JobId, out _);
                    return Succeed(progress, [], links: links);
                default:
                    var output = progress.Item.Output ?? _options.Output;
                    var images = job.Entry is { } entry
                        ? await _client.CollectAsync(entry, output, _options.WaitForUnfinished, token).ConfigureAwait(false)
                        : await _client.ReceiveJobAsync(job.Id, output, _options.WaitForUnfinished, token).ConfigureAwait(false);
                    _toCollect.TryRemove(job.JobId, out _);
                    return Succeed(progress, images);
            }
        }
        catch (Exception e)
        {
            if (e is PhotaException { Kind: ErrorKind.JobFailed or ErrorKind.ResultExpired or ErrorKind.ContentModeration or ErrorKind.InvalidRequest })
            {
                // Nothing left to collect for a job the server failed.
                _toCollect.TryRemove(job.JobId, out _);
            }

            return Fail(progress, e, token);
        }
    }

    private async Task<BatchItemResult?> SaveItemAsync(PendingSave pending, CancellationToken token)
    {
        var progress = pending.Progress;
        try
        {
            Enter(progress, StudioStage.Downloading);
            var images = await _client.SaveInternalAsync(progress.Item.Request!, progress.Job!, pending.Status, pending.Output, token).ConfigureAwait(false);
            _uncollected.TryRemove(progress.Job!.ClientRequestId, out _);
            return Succeed(progress, images);
        }
        catch (Exception e)
        {
            return Fail(progress, e, token);
        }
    }

    private BatchItemResult Succeed(ItemProgress progress, IReadOnlyList<SavedImage> images, Models.JobStatus? status = null, IReadOnlyList<ResultLink>? links = null)
    {
        Enter(progress, StudioStage.Done);
        Interlocked.Increment(ref _succeeded);
        return new BatchItemResult { Item = progress.Item, Job = progress.Job, Images = images, Status = status, Links = links ?? [] };
    }

    /// <summary>An item's failure: its own error, or nothing when the batch stopped (cancelled, or a fatal error).</summary>
    private BatchItemResult? Fail(ItemProgress progress, Exception e, CancellationToken token)
    {
        if (e is OperationCanceledException && token.IsCancellationRequested)
        {
            Enter(progress, StudioStage.Queued, countOnly: true);
            return null;
        }

        if (e is PhotaException { IsFatalForBatch: true } fatal)
        {
            Enter(progress, StudioStage.Queued, countOnly: true);
            if (Interlocked.CompareExchange(ref _fatal, fatal, null) is null)
            {
                Cancel();
            }

            return null;
        }

        if (progress.Job is { } job && e is PhotaException { Kind: ErrorKind.JobFailed or ErrorKind.ResultExpired or ErrorKind.ContentModeration or ErrorKind.InvalidRequest })
        {
            // Nothing left to collect for a job the server failed.
            _uncollected.TryRemove(job.ClientRequestId, out _);
        }

        Enter(progress, StudioStage.Failed);
        Interlocked.Increment(ref _failed);
        return new BatchItemResult { Item = progress.Item, Job = progress.Job, Error = e };
    }

    private void Enter(ItemProgress progress, StudioStage next, bool countOnly = false)
    {
        Adjust(progress.Stage, -1);
        Adjust(next, +1);
        progress.Stage = next;
        if (!countOnly)
        {
            try
            {
                _options.OnStage?.Invoke(progress.Item, next);
            }
            catch (Exception)
            {
                // Progress reporting must never break an item.
            }
        }
    }

    private void Adjust(StudioStage stage, int delta)
    {
        switch (stage)
        {
            case StudioStage.Submitting: Interlocked.Add(ref _submitting, delta); break;
            case StudioStage.Waiting: Interlocked.Add(ref _waiting, delta); break;
            case StudioStage.Downloading: Interlocked.Add(ref _downloading, delta); break;
        }
    }

    private async Task FinishAsync()
    {
        await Task.WhenAll(_workers).ConfigureAwait(false);
        _saves.Writer.TryComplete();
        await Task.WhenAll(_savers).ConfigureAwait(false);
        if (FatalError is { } fatal)
        {
            _output.Writer.TryComplete(fatal);
        }
        else if (_stop.IsCancellationRequested)
        {
            _output.Writer.TryComplete(new OperationCanceledException(
                "The batch was cancelled.", _callerToken.IsCancellationRequested ? _callerToken : _stop.Token));
        }
        else
        {
            _output.Writer.TryComplete();
        }
    }
}

/// <summary>Where one item is: its stage (for the progress counts) and, once submitted, its job.</summary>
internal sealed class ItemProgress(BatchItem item)
{
    public BatchItem Item { get; } = item;

    public StudioStage Stage { get; set; } = StudioStage.Queued;

    public SubmittedJob? Job { get; set; }
}

/// <summary>A finished job whose images are still to be saved.</summary>
internal sealed record PendingSave(ItemProgress Progress, Models.JobStatus Status, OutputOptions Output);
