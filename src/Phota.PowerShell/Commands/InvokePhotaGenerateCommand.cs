using System.Management.Automation;
using Phota.PowerShell.Infrastructure;
using Phota.Studio;

namespace Phota.PowerShell.Commands;

/// <summary>Invoke-PhotaGenerate: creates images from a prompt; each piped prompt is one request. Reference profiles in the prompt as [[profile_id]].</summary>
[Cmdlet(VerbsLifecycle.Invoke, "PhotaGenerate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PhotaImage), typeof(PhotaJob), typeof(PhotaImageUrl))]
public sealed class InvokePhotaGenerateCommand : StudioCmdlet
{
    /// <summary>What to create, e.g. "A headshot of $alice in an office" ($alice being a profile object).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Prompt { get; set; } = [];

    [Parameter]
    [ValidateSet("auto", "1:1", "3:4", "4:3", "9:16", "16:9")]
    public string? AspectRatio { get; set; }

    [Parameter]
    [ValidateSet("1K", "2K", "4K")]
    public string? Resolution { get; set; }

    [Parameter]
    [ValidateSet("nb2", "gpt-image-2", "qwen-image-2", "flux-2", "reve")]
    public string? BaseModel { get; set; }

    /// <summary>Only with -BaseModel gpt-image-2.</summary>
    [Parameter]
    [ValidateSet("auto", "low", "medium", "high")]
    public string? Quality { get; set; }

    protected override IEnumerable<(StudioRequest Request, object Target)> BuildRequests()
    {
        foreach (var prompt in Prompt)
        {
            yield return (new GenerateRequest
            {
                Prompt = prompt,
                AspectRatio = ModelOptions.ParseAspectRatio(AspectRatio),
                Resolution = ModelOptions.ParseResolution(Resolution),
                BaseModel = ModelOptions.ParseBaseModel(BaseModel),
                Quality = ModelOptions.ParseQuality(Quality),
                NumOutputImages = Count,
                OutputFormat = OutputFormatValue,
                CallbackUrl = CallbackUrl,
                ClientRequestId = ClientRequestId,
            }, prompt);
        }
    }
}
