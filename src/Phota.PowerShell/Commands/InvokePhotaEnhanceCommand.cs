using System.Management.Automation;
using Phota.PowerShell.Infrastructure;
using Phota.Studio;

namespace Phota.PowerShell.Commands;

/// <summary>Invoke-PhotaEnhance: improves each input photo (one request per image), optionally guided by a prompt and known profiles.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "PhotaEnhance", DefaultParameterSetName = ImageSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PhotaImage), typeof(PhotaJob), typeof(PhotaImageUrl))]
public sealed class InvokePhotaEnhanceCommand : ImageStudioCmdlet
{
    /// <summary>Optional instructions for the enhancement.</summary>
    [Parameter]
    public string? Prompt { get; set; }

    protected override IEnumerable<(StudioRequest Request, object Target)> BuildRequests()
    {
        foreach (var (input, given) in ResolveImages(out _))
        {
            yield return (new EnhanceRequest
            {
                Image = input,
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
