using System.Globalization;
using System.Management.Automation;
using Phota.Batches;
using Phota.Errors;
using Phota.Images;
using Phota.Jobs;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Receive-PhotaJob: downloads finished jobs' images (the same objects the studio cmdlets emit), named as the
/// original command would have named them, into the directory recorded in the journal (else the current location).
/// Outputs already saved are skipped, so <c>Get-PhotaJob | Receive-PhotaJob</c> collects whatever is still outstanding.
/// Jobs are collected through the library's batch: at most -ThrottleLimit at once, one progress bar, and on Ctrl+C a
/// warning naming the jobs not collected yet.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "PhotaJob", DefaultParameterSetName = JobSet, SupportsShouldProcess = true)]
[OutputType(typeof(PhotaImage), typeof(PhotaImageUrl))]
public sealed class ReceivePhotaJobCommand : JobCmdlet
{
    private string? _explicitDirectory;

    /// <summary>Wait for jobs that have not finished yet (otherwise they are reported and skipped).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Where to save. Default: the directory recorded in the journal, else the current location.</summary>
    [Parameter]
    [Alias("OutDir")]
    public string? OutputDirectory { get; set; }

    /// <summary>Overwrite existing files instead of saving under the next free name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the results' signed download URLs (PhotaImageUrl) instead of downloading them; nothing is written.</summary>
    [Parameter]
    public SwitchParameter NoDownload { get; set; }

    private FileCollision Collision => Force ? FileCollision.Overwrite : FileCollision.NextFreeName;

    protected override void BeginProcessing()
        => _explicitDirectory = string.IsNullOrWhiteSpace(OutputDirectory) ? null : ResolveDirectory(OutputDirectory);

    protected override void ProcessRecord()
    {
        foreach (var (id, target) in CurrentJobs())
        {
            var entry = Client.Journal.Find(id);
            // -OutputDirectory, else the journal's directory, else the current location.
            var output = new OutputOptions { Directory = _explicitDirectory ?? entry?.OutputDirectory ?? CurrentDirectory, Collision = Collision };
            if (!NoDownload && !ShouldProcess(output.Directory, $"Save the results of Phota job {id}"))
            {
                continue;
            }
            Enqueue(BatchItem.ForJob(new JobReference(id, entry), target, output));
        }
        Drain();
    }

    protected override BatchOptions CreateBatchOptions() => new()
    {
        Mode = BatchMode.CollectJobs,
        Output = new OutputOptions { Directory = CurrentDirectory, Collision = Collision },
        // Without -Wait, a job still running is a Phota.JobNotFinished error from the library.
        WaitForUnfinished = Wait,
        SaveResults = !NoDownload,
    };

    protected override void Handle(BatchItemResult result)
    {
        if (result.Error is { } error)
        {
            WriteError(ErrorRecords.From(error, result.Item.State));
        }
        else
        {
            WriteImages(result);
        }
    }

    protected override string ProgressStatus(BatchProgress p)
        => string.Format(CultureInfo.InvariantCulture, "{0} of {1} job(s) collected ({2} failed); {3} in progress, {4} queued", p.Finished, p.Added, p.Failed, p.Waiting, p.Queued);

    protected override string? UncollectedWarning(IReadOnlyList<string> jobIds, bool stopping)
        => $"{jobIds.Count} job(s) were not collected: {string.Join(", ", jobIds)}. " +
            "They are in the local journal; collect them with: Get-PhotaJob | Receive-PhotaJob";
}
