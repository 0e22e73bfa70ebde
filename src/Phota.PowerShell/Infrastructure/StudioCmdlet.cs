using System.Globalization;
using System.Management.Automation;
using Phota.Batches;
using Phota.Errors;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.Studio;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Base of the four studio cmdlets. Each pipeline item becomes one or more requests that run concurrently
/// (-ThrottleLimit) through the library's batch: by default as async jobs (submit, wait, save), with -NoWait as
/// submits only, with -Synchronous as synchronous calls.
/// </summary>
public abstract class StudioCmdlet : BatchCmdlet
{
    private OutputOptions? _output;

    /// <summary>num_output_images: how many variations to produce (1 to 4), checked before anything is sent.</summary>
    [Parameter]
    [Alias("NumOutputImages")]
    [ValidateRange(1, 4)]
    public int Count { get; set; } = 1;

    /// <summary>output_format of the saved files.</summary>
    [Parameter]
    [ValidateSet("Jpg", "Png")]
    [Alias("OutputFormat")]
    public string Format { get; set; } = "Jpg";

    /// <summary>An https URL the server POSTs the signed result to when the job ends (async only).</summary>
    [Parameter]
    public string? CallbackUrl { get; set; }

    /// <summary>Where the files go. Default: the current PowerShell location.</summary>
    [Parameter]
    [Alias("OutDir")]
    public string? OutputDirectory { get; set; }

    /// <summary>Overwrite existing files instead of saving under the next free name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Submit the jobs and emit job objects instead of waiting (collect them with Receive-PhotaJob).</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Use the synchronous API mode (the connection is held until the images are ready).</summary>
    [Parameter]
    public SwitchParameter Synchronous { get; set; }

    /// <summary>
    /// The idempotency key of this item's async job (the API's client_request_id). Bound by property name, so a script
    /// block gives each piped item its own key; a re-run with the same keys gets the original jobs without a new charge.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ClientRequestId { get; set; }

    /// <summary>Emit the results' signed download URLs (PhotaImageUrl) instead of downloading them; nothing is written.</summary>
    [Parameter]
    public SwitchParameter NoDownload { get; set; }

    /// <summary>Skip an input whose result files already exist in -OutputDirectory (nothing is sent or paid for).</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <summary>How long to wait for each job (or each synchronous call), in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    /// <summary>The requests one pipeline item stands for, with the object errors should name. Input errors are written here.</summary>
    protected abstract IEnumerable<(StudioRequest Request, object Target)> BuildRequests();

    protected OutputFormat OutputFormatValue => OutputFormat.Parse(Format);

    protected override void BeginProcessing()
    {
        if (NoWait && NoDownload)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("-NoWait and -NoDownload cannot be used together: -NoWait emits the jobs before they finish; -NoDownload waits for them and emits their result URLs."),
                "Phota.InvalidInput", ErrorCategory.InvalidArgument, null));
        }
        if (NoWait && Synchronous)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("-NoWait and -Synchronous cannot be used together: -NoWait submits async jobs, -Synchronous waits on one connection."),
                "Phota.InvalidInput", ErrorCategory.InvalidArgument, null));
        }
        _output = new OutputOptions
        {
            Directory = ResolveDirectory(OutputDirectory),
            Collision = Force ? FileCollision.Overwrite : FileCollision.NextFreeName,
        };
    }

    protected override void ProcessRecord()
    {
        var requests = BuildRequests().ToList();
        if (ClientRequestId is not null && requests.Count > 1)
        {
            // One key would make the server answer every request after the first with the first one's job.
            WriteError(new ErrorRecord(
                new PSArgumentException($"-ClientRequestId '{ClientRequestId}' would be shared by {requests.Count} requests ({string.Join(", ", requests.Select(r => r.Target))}). " +
                    "Give each request its own key: pipe the inputs one by one with a script block, for example -ClientRequestId { \"nightly-$($_.Name)\" }."),
                "Phota.InvalidInput", ErrorCategory.InvalidArgument, ClientRequestId));
            return;
        }
        foreach (var (request, target) in requests)
        {
            try
            {
                request.Validate(asynchronous: !Synchronous);
            }
            catch (PhotaException e)
            {
                WriteError(ErrorRecords.From(e, target));
                continue;
            }
            if (SkipExisting && !NoDownload && OutputNaming.ExistingResults(request, _output!.Directory) is { } existing)
            {
                WriteVerbose($"Skipped {target}: its result{(existing.Count == 1 ? " exists" : "s exist")} ({string.Join(", ", existing.Select(Path.GetFileName))}).");
                continue;
            }
            if (!ShouldProcess(WhatIfText.Target(request), WhatIfText.Action(request, Synchronous)))
            {
                continue;
            }
            Enqueue(new BatchItem(request, target));
        }
        Drain();
    }

    protected override BatchOptions CreateBatchOptions() => new()
    {
        Output = _output!,
        Mode = NoWait ? BatchMode.SubmitOnly : Synchronous ? BatchMode.Synchronous : BatchMode.SubmitAndSave,
        SaveResults = !NoDownload,
        // The call's own limit: per job wait, or per synchronous call (it wins over the session's timeout).
        WaitTimeout = CallTimeout,
    };

    protected override void Handle(BatchItemResult result)
    {
        if (result.Error is { } error)
        {
            WriteError(ErrorRecords.From(error, result.Item.State));
        }
        else if (result.Job is { } job && NoWait)
        {
            WriteObject(PhotaJob.From(job));
        }
        else
        {
            WriteImages(result);
        }
    }

    protected override string ProgressStatus(BatchProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        return Synchronous
            ? string.Format(c, "{0} of {1} done ({2} failed); {3} in flight, {4} queued", p.Finished, p.Added, p.Failed, p.Waiting, p.Queued)
            : string.Format(c, "{0} of {1} done ({2} failed); {3} submitting, {4} waiting, {5} downloading, {6} queued",
                p.Finished, p.Added, p.Failed, p.Submitting, p.Waiting, p.Downloading, p.Queued);
    }

    protected override string? UncollectedWarning(IReadOnlyList<string> jobIds, bool stopping)
    {
        if (NoWait)
        {
            // Submitting only is what was asked: only a stop is worth a warning, listing what got submitted.
            return stopping
                ? $"Stopped after submitting {jobIds.Count} job(s): {string.Join(", ", jobIds)}. Collect them with: Get-PhotaJob | Receive-PhotaJob"
                : null;
        }
        return $"{jobIds.Count} job(s) were submitted (and paid for) but their results were not saved: {string.Join(", ", jobIds)}. " +
            "They are in the local journal; collect them with: Get-PhotaJob | Receive-PhotaJob";
    }
}
