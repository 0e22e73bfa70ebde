using System.Management.Automation;
using Phota.Errors;
using Phota.Images;
using Phota.PowerShell.Infrastructure;
using Phota.Studio;

namespace Phota.PowerShell.Commands;

/// <summary>Invoke-PhotaRemix: renders each input photo's content in the style of -ReferenceImage (one request per image; output fixed at 2K).</summary>
[Cmdlet(VerbsLifecycle.Invoke, "PhotaRemix", DefaultParameterSetName = ImageSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PhotaImage), typeof(PhotaJob), typeof(PhotaImageUrl))]
public sealed class InvokePhotaRemixCommand : ImageStudioCmdlet
{
    private ImageInput? _reference;

    /// <summary>The image whose style to apply: a file, an http(s) URL or base64 data.</summary>
    [Parameter(Mandatory = true)]
    [Alias("Style")]
    [ValidateNotNullOrEmpty]
    public string ReferenceImage { get; set; } = string.Empty;

    /// <summary>Optional instructions that steer the result.</summary>
    [Parameter]
    public string? Prompt { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _reference = ResolveSingleImage(ReferenceImage, nameof(ReferenceImage));
        }
        catch (Exception e) when (e is PhotaException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException)
        {
            // Every request needs the reference: nothing can run without it.
            ThrowTerminatingError(ErrorRecords.From(e is PhotaException ? e : new PhotaInputException(ReferenceImage, e.Message, "Check the path."), ReferenceImage));
        }
    }

    protected override IEnumerable<(StudioRequest Request, object Target)> BuildRequests()
    {
        foreach (var (input, given) in ResolveImages(out _))
        {
            yield return (new RemixRequest
            {
                InputImage = input,
                ReferenceImage = _reference!,
                Prompt = Prompt,
                ProfileIds = ProfileId ?? [],
                NumOutputImages = Count,
                OutputFormat = OutputFormatValue,
                CallbackUrl = CallbackUrl,
                ClientRequestId = ClientRequestId,
            }, given);
        }
    }
}
