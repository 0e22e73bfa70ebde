using System.Globalization;
using System.Management.Automation;
using Phota.Errors;
using Phota.Jobs;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Optimize-PhotaJobJournal: compacts the local job journal now, removing the jobs that are finished (saved, failed
/// or expired) and last changed more than 24 hours ago (the API keeps results that long). Outstanding jobs are never
/// removed. Safe while other PowerShell processes submit or collect jobs. The same compaction also runs on its own
/// once enough old jobs have accumulated.
/// </summary>
[Cmdlet(VerbsCommon.Optimize, "PhotaJobJournal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(JournalCompaction))]
public sealed class OptimizePhotaJobJournalCommand : PSCmdlet
{
    /// <summary>The journal file. Default: PHOTA_JOURNAL_PATH, else the per-user default.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        var path = Path is null ? JobJournal.DefaultPath() : GetUnresolvedProviderPathFromPSPath(Path);
        var journal = new JobJournal(path);
        try
        {
            var preview = journal.PreviewCompaction();
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "{0}: {1} job(s), {2} outstanding, {3:N0} bytes.", path, preview.JobsBefore, preview.Outstanding, preview.BytesBefore));
            var action = string.Format(CultureInfo.InvariantCulture,
                "Remove {0} finished job(s) last changed before {1:u}, keeping {2} ({3} outstanding); about {4:N0} of {5:N0} bytes remain",
                preview.JobsRemoved, preview.Cutoff, preview.JobsKept, preview.Outstanding, preview.BytesAfter, preview.BytesBefore);
            if (ShouldProcess(path, action))
            {
                WriteObject(journal.Compact());
            }
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, path));
        }
    }
}
