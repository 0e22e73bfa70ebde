using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Wait-PhotaJob: waits for every given job at once (one progress bar) and emits each as it finishes; a failed job
/// is an error carrying the server's reason; jobs still running after -TimeoutSec get a Phota.Timeout error.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "PhotaJob", DefaultParameterSetName = JobSet)]
[OutputType(typeof(PhotaJob))]
public sealed class WaitPhotaJobCommand : JobCmdlet
{
    private const int ActivityId = 0x50684A;
    private readonly List<(string Id, object Target)> _jobs = [];

    /// <summary>How long to wait for all of them, in seconds. Default: the client's job limit (30 minutes).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord() => _jobs.AddRange(CurrentJobs());

    protected override void EndProcessing()
    {
        var pending = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        int finished = 0, total = _jobs.Count;
        // The jobs are waited for at once, so the limit for all of them is each one's limit; it replaces the
        // client's default job wait (30 minutes) in both directions.
        TimeSpan? limit = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeSpan.FromSeconds(TimeoutSec) : null;
        void Progress()
        {
            var done = Volatile.Read(ref finished);
            PostProgress(new ProgressRecord(ActivityId, MyInvocation.MyCommand.Name,
                string.Format(CultureInfo.InvariantCulture, "{0} of {1} job(s) finished; {2}", done, total,
                    string.Join(", ", pending.GroupBy(p => p.Value).Select(g => $"{g.Count()} {g.Key}"))))
            { PercentComplete = total == 0 ? 100 : done * 100 / total });
        }

        try
        {
            Run(async token =>
            {
                await Task.WhenAll(_jobs.Select(async job =>
                {
                    var entry = Client.Journal.Find(job.Id);
                    var id = entry?.JobId ?? job.Id;
                    pending[id] = "pending";
                    try
                    {
                        if (entry is { JobId: null })
                        {
                            throw new PhotaException(ErrorKind.NotFound,
                                $"The submit with client request id {entry.ClientRequestId} never got its job id. Receive-PhotaJob recovers it without paying twice.");
                        }
                        void OnStatus(Models.JobStatus s)
                        {
                            pending[id] = s.Status.Value;
                            Progress();
                        }
                        var status = limit is { } l
                            ? await Client.WaitForJobAsync(id, l, OnStatus, token).ConfigureAwait(false)
                            : await Client.WaitForJobAsync(id, OnStatus, token).ConfigureAwait(false);
                        PostObject(PhotaJob.From(status, Client.Journal.Find(id)));
                    }
                    catch (PhotaException e) when (!e.IsFatalForBatch)
                    {
                        PostError(ErrorRecords.From(e, job.Target));
                    }
                    finally
                    {
                        pending.TryRemove(id, out _);
                        Interlocked.Increment(ref finished);
                        Progress();
                    }
                })).ConfigureAwait(false);
            });
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        WriteProgress(new ProgressRecord(ActivityId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
