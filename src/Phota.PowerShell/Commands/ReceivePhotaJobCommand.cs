using System.Management.Automation;
using Phota.Errors;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Receive-PhotaJob: downloads finished jobs' images (the same objects the studio cmdlets emit), named as the
/// original command would have named them, into the directory recorded in the journal (else the current location).
/// Outputs already saved are skipped, so <c>Get-PhotaJob | Receive-PhotaJob</c> collects whatever is still outstanding.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "PhotaJob", DefaultParameterSetName = JobSet)]
[OutputType(typeof(PhotaImage))]
public sealed class ReceivePhotaJobCommand : JobCmdlet
{
    private ThrottledRunner? _runner;
    private PhotaException? _fatal;

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

    /// <summary>Jobs collected at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    protected override void ProcessRecord()
    {
        _runner ??= new ThrottledRunner(ThrottleLimit, CancelToken);
        var collision = Force ? FileCollision.Overwrite : FileCollision.NextFreeName;
        string? explicitDirectory = string.IsNullOrWhiteSpace(OutputDirectory) ? null : ResolveDirectory(OutputDirectory);
        string current = CurrentDirectory;
        foreach (var (id, target) in CurrentJobs())
        {
            var client = Client;
            _runner.Add(async token =>
            {
                try
                {
                    var entry = client.Journal.Find(id);
                    // -OutputDirectory, else the journal's directory, else the current location.
                    var output = new OutputOptions { Directory = explicitDirectory ?? entry?.OutputDirectory ?? current, Collision = collision };
                    // Without -Wait, a job still running is a Phota.JobNotFinished error from the library.
                    var images = entry is not null
                        ? await client.CollectAsync(entry, output, Wait, token).ConfigureAwait(false)
                        : await client.ReceiveJobAsync(id, output, Wait, token).ConfigureAwait(false);
                    Post(() =>
                    {
                        foreach (var image in images)
                        {
                            WriteObject(new PhotaImage(image));
                        }
                    });
                }
                catch (PhotaException e) when (e.IsFatalForBatch)
                {
                    Interlocked.CompareExchange(ref _fatal, e, null);
                    _runner.Cancel();
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    Post(() => WriteError(ErrorRecords.From(e, target)));
                }
            });
        }
        DrainPosted();
        ThrowIfFatal();
    }

    protected override void EndProcessing()
    {
        if (_runner is null)
        {
            return;
        }
        _runner.Complete();
        try
        {
            PumpUntil(_runner.Completion);
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        if (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        ThrowIfFatal();
    }

    protected override void OnStopping() => _runner?.Cancel();

    protected override void DisposeResources()
    {
        _runner?.Dispose();
        base.DisposeResources();
    }

    private void ThrowIfFatal()
    {
        if (Volatile.Read(ref _fatal) is { } fatal)
        {
            ThrowTerminatingError(ErrorRecords.From(fatal, null));
        }
    }
}
