using System.Globalization;
using System.Management.Automation;
using Phota.Batches;
using Phota.Errors;
using Phota.Jobs;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Get-PhotaJob: the status of the given jobs; without ids, the jobs in the local journal that are still outstanding
/// (submitted to this session's base URI, results not all saved) with their current status (-All: every job).
/// Status checks run through the library's batch: at most -ThrottleLimit at once, one progress bar.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PhotaJob", DefaultParameterSetName = JournalSet)]
[OutputType(typeof(PhotaJob))]
public sealed class GetPhotaJobCommand : BatchCmdlet
{
    private const string JournalSet = "Journal";
    private const string IdSet = "JobId";

    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.JobIdCompleter))]
    public string[] JobId { get; set; } = [];

    /// <summary>Also the journaled jobs already collected, failed or expired.</summary>
    [Parameter(ParameterSetName = JournalSet)]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == IdSet)
            {
                foreach (var id in JobId)
                {
                    Enqueue(BatchItem.ForJob(new JobReference(id, Client.Journal.Find(id)), id));
                }
            }
            else
            {
                ListJournal();
            }
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
        }
        Drain();
    }

    private void ListJournal()
    {
        var baseUrl = ResolvedSession.BaseUri.AbsoluteUri;
        var entries = (All ? Client.Journal.GetEntries() : Client.Journal.GetOutstanding())
            .Where(e => e.BaseUrl is null || string.Equals(e.BaseUrl, baseUrl, StringComparison.OrdinalIgnoreCase))
            .ToList();
        WriteVerbose($"{entries.Count} job(s) in the journal {Client.Journal.Path} for {baseUrl}.");
        foreach (var entry in entries)
        {
            if (entry.JobId is null || !entry.IsOutstanding)
            {
                // Nothing to ask the server: never submitted, or already collected, failed or expired.
                WriteObject(PhotaJob.From(entry));
                continue;
            }
            Enqueue(BatchItem.ForJob(new JobReference(entry.JobId, entry), entry));
        }
    }

    protected override BatchOptions CreateBatchOptions() => new()
    {
        Mode = BatchMode.CheckJobs,
        Output = new() { Directory = CurrentDirectory },
    };

    protected override void Handle(BatchItemResult result)
    {
        var entry = result.Item.Job!.Entry;
        if (result.Status is { } status)
        {
            // The check may have recorded the job's finish: show the journal's state as it is now.
            WriteObject(PhotaJob.From(status, entry is null ? null : Client.Journal.Find(entry.ClientRequestId) ?? entry));
        }
        else if (result.Item.State is JournalEntry listed && result.Error is PhotaException e)
        {
            // A journaled job the server no longer has (expired, unknown) is listed with the reason in Message.
            WriteObject(PhotaJob.From(listed, null, e.Kind.ToString(), e.Message));
        }
        else if (result.Error is { } error)
        {
            WriteError(ErrorRecords.From(error, result.Item.State));
        }
    }

    protected override string ProgressStatus(BatchProgress p)
        => string.Format(CultureInfo.InvariantCulture, "{0} of {1} job(s) checked ({2} failed); {3} in progress, {4} queued", p.Finished, p.Added, p.Failed, p.Waiting, p.Queued);

    // Checking a status collects nothing.
    protected override string? UncollectedWarning(IReadOnlyList<string> jobIds, bool stopping) => null;
}
