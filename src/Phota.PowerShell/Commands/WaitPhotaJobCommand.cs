using System.Globalization;
using System.Management.Automation;
using Phota.Batches;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Wait-PhotaJob: waits for the given jobs (at most -ThrottleLimit at once, one progress bar) and emits each as it
/// finishes; a failed job is an error carrying the server's reason; a job still running after -TimeoutSec gets a
/// Phota.Timeout error.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "PhotaJob", DefaultParameterSetName = JobSet)]
[OutputType(typeof(PhotaJob))]
public sealed class WaitPhotaJobCommand : JobCmdlet
{
    /// <summary>How long to wait for each job, in seconds. Default: the client's job limit (30 minutes).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (id, target) in CurrentJobs())
        {
            var entry = Client.Journal.Find(id);
            if (entry is { JobId: null })
            {
                WriteError(ErrorRecords.From(new PhotaException(ErrorKind.NotFound,
                    $"The submit with client request id {entry.ClientRequestId} never got its job id. Receive-PhotaJob recovers it without paying twice."), target));
                continue;
            }
            Enqueue(BatchItem.ForJob(new JobReference(id, entry), target));
        }
        Drain();
    }

    protected override BatchOptions CreateBatchOptions() => new()
    {
        Mode = BatchMode.WaitForJobs,
        Output = new() { Directory = CurrentDirectory },
        // Replaces the client's default job wait (30 minutes) in both directions.
        WaitTimeout = CallTimeout,
    };

    protected override void Handle(BatchItemResult result)
    {
        if (result.Error is { } error)
        {
            WriteError(ErrorRecords.From(error, result.Item.State));
        }
        else if (result.Status is { } status)
        {
            WriteObject(PhotaJob.From(status, Client.Journal.Find(status.JobId)));
        }
    }

    protected override string ProgressStatus(BatchProgress p)
        => string.Format(CultureInfo.InvariantCulture, "{0} of {1} job(s) finished ({2} failed); {3} waiting, {4} queued", p.Finished, p.Added, p.Failed, p.Waiting, p.Queued);

    // Waiting collects nothing: a stopped wait leaves the jobs as they were.
    protected override string? UncollectedWarning(IReadOnlyList<string> jobIds, bool stopping) => null;
}
