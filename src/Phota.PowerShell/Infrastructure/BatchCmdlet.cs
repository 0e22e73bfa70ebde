using System.Management.Automation;
using Phota.Batches;
using Phota.Errors;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that run many items through the library's batch (the studio cmdlets, and Get-, Wait- and
/// Receive-PhotaJob): at most -ThrottleLimit at once, each result written on the pipeline thread as it completes, one
/// progress bar, per-item failures non-terminating, auth, credit and journal failures ending the command, and on
/// Ctrl+C or such a failure a warning naming the paid jobs whose results were left uncollected.
/// </summary>
public abstract class BatchCmdlet : PhotaCmdlet
{
    private const int ProgressActivityId = 0x50686F;
    private static readonly long ProgressInterval = TimeSpan.FromMilliseconds(250).Ticks;

    private Batch? _batch;
    private long _lastProgress;

    /// <summary>Items in flight at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>The batch's settings (concurrency and progress reporting are added here).</summary>
    protected abstract BatchOptions CreateBatchOptions();

    /// <summary>Writes one result (on the pipeline thread).</summary>
    protected abstract void Handle(BatchItemResult result);

    /// <summary>The progress bar's status line.</summary>
    protected abstract string ProgressStatus(BatchProgress progress);

    /// <summary>The warning for jobs left uncollected, or null for none; <paramref name="stopping"/>: Ctrl+C rather than a fatal error.</summary>
    protected abstract string? UncollectedWarning(IReadOnlyList<string> jobIds, bool stopping);

    /// <summary>Queues an item, starting the batch on first use.</summary>
    protected void Enqueue(BatchItem item)
    {
        _batch ??= Client.StartBatch(CreateBatchOptions() with
        {
            Concurrency = ThrottleLimit,
            OnStage = (_, _) => ReportProgressFromWorker(),
        }, CancelToken);
        _batch.Add(item);
    }

    /// <summary>Writes what has finished so far without waiting; ends the command if the batch hit a fatal error.</summary>
    protected void Drain()
    {
        DrainPosted();
        if (_batch is { } batch)
        {
            while (batch.Results.TryRead(out var result))
            {
                HandleAndReport(result);
            }
            if (batch.FatalError is { } fatal)
            {
                WarnUncollected(stopping: false);
                ThrowTerminatingError(ErrorRecords.From(fatal, null));
            }
        }
    }

    /// <summary>Writes an item's results as the studio cmdlets and Receive-PhotaJob emit them: saved images, or with -NoDownload their links.</summary>
    protected void WriteImages(BatchItemResult result)
    {
        foreach (var image in result.Images)
        {
            WriteObject(new PhotaImage(image));
        }
        foreach (var link in result.Links)
        {
            WriteObject(new PhotaImageUrl(link));
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            if (_batch is { } batch)
            {
                batch.Complete();
                Await(async token =>
                {
                    await foreach (var result in batch.ReadAllAsync(token).ConfigureAwait(false))
                    {
                        Post(() => HandleAndReport(result));
                    }
                });
            }
        }
        catch (PhotaException fatal)
        {
            WarnUncollected(stopping: false);
            ThrowTerminatingError(ErrorRecords.From(fatal, null));
        }
        WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    protected override void OnStopping()
    {
        _batch?.Cancel();
        try
        {
            // Let in-flight submits settle so the list of paid jobs is complete.
            _batch?.Completion.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        WarnUncollected(stopping: true);
    }

    protected override void DisposeResources()
    {
        if (_batch is { } batch)
        {
            batch.Cancel();
            batch.Completion.Wait(TimeSpan.FromSeconds(5));
        }
        base.DisposeResources();
    }

    private void HandleAndReport(BatchItemResult result)
    {
        Handle(result);
        ReportProgress();
    }

    private void ReportProgressFromWorker()
    {
        var now = DateTime.UtcNow.Ticks;
        var last = Interlocked.Read(ref _lastProgress);
        if (now - last >= ProgressInterval && Interlocked.CompareExchange(ref _lastProgress, now, last) == last)
        {
            Post(ReportProgress);
        }
    }

    private void ReportProgress()
    {
        if (_batch is not { } batch)
        {
            return;
        }
        var p = batch.GetProgress();
        WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, ProgressStatus(p))
        {
            PercentComplete = p.Added == 0 ? 0 : Math.Min(100, p.Finished * 100 / p.Added),
        });
    }

    /// <summary>Says which paid jobs were left uncollected, and how to collect them.</summary>
    private void WarnUncollected(bool stopping)
    {
        var ids = _batch?.UncollectedJobIds ?? [];
        if (ids.Count == 0 || UncollectedWarning(ids, stopping) is not { } message)
        {
            return;
        }
        try
        {
            if (stopping)
            {
                // The pipeline is stopping, so the warning goes to the host directly.
                Host.UI.WriteWarningLine(message);
            }
            else
            {
                WriteWarning(message);
            }
        }
        catch (Exception e) when (e is PipelineStoppedException or InvalidOperationException or NotImplementedException)
        {
        }
    }
}
