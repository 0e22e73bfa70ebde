using System.Management.Automation;
using Phota.Errors;
using Phota.Jobs;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Get-PhotaJob: the status of the given jobs; without ids, the jobs in the local journal that are still outstanding
/// (submitted to this session's base URI, results not all saved) with their current status (-All: every job).
/// </summary>
[Cmdlet(VerbsCommon.Get, "PhotaJob", DefaultParameterSetName = JournalSet)]
[OutputType(typeof(PhotaJob))]
public sealed class GetPhotaJobCommand : PhotaCmdlet
{
    private const string JournalSet = "Journal";
    private const string IdSet = "JobId";

    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
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
                    var entry = Client.Journal.Find(id);
                    try
                    {
                        var status = Run(token => Client.GetJobAsync(entry?.JobId ?? id, token));
                        WriteObject(PhotaJob.From(status, entry));
                    }
                    catch (PhotaException e) when (!e.IsFatalForBatch)
                    {
                        WriteError(ErrorRecords.From(e, id));
                    }
                }
                return;
            }

            var baseUrl = ResolvedSession.BaseUri.AbsoluteUri;
            var entries = (All ? Client.Journal.GetEntries() : Client.Journal.GetOutstanding())
                .Where(e => e.BaseUrl is null || string.Equals(e.BaseUrl, baseUrl, StringComparison.OrdinalIgnoreCase))
                .ToList();
            WriteVerbose($"{entries.Count} job(s) in the journal {Client.Journal.Path} for {baseUrl}.");
            foreach (var entry in entries)
            {
                WriteObject(Run(token => CheckAsync(entry, token)));
            }
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>The entry with its server status; a job the server no longer has (expired, unknown) keeps the reason in Message.</summary>
    private async Task<PhotaJob> CheckAsync(JournalEntry entry, CancellationToken token)
    {
        if (entry.JobId is null || !entry.IsOutstanding)
        {
            return PhotaJob.From(entry);
        }
        try
        {
            return PhotaJob.From(await Client.GetJobAsync(entry.JobId, token).ConfigureAwait(false), entry);
        }
        catch (PhotaException e) when (!e.IsFatalForBatch)
        {
            return PhotaJob.From(entry, null, e.Kind.ToString(), e.Message);
        }
    }
}
