using System.Management.Automation;
using Phota.PowerShell.Infrastructure;
using Phota.Studio;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Invoke-PhotaEdit: transforms images with a prompt. Each pipeline item, or the whole -Image argument (every file a
/// wildcard matches), is one multi-image edit of up to 10 images.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "PhotaEdit", DefaultParameterSetName = ImageSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PhotaImage), typeof(PhotaJob), typeof(PhotaImageUrl))]
public sealed class InvokePhotaEditCommand : ImageStudioCmdlet
{
    /// <summary>What to change (optional: the API's default is empty); reference profiles as [[profile_id]] (or a profile object in a double-quoted string, "$alice").</summary>
    [Parameter(Position = 1)]
    [AllowEmptyString]
    public string Prompt { get; set; } = string.Empty;

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
        var images = ResolveImages(out bool anyFailed);
        if (anyFailed || images.Count == 0)
        {
            // An edit missing one of its images would be a different edit: skip it (the error names the input).
            yield break;
        }
        object target = images.Count == 1 ? images[0].Given : images.Select(i => i.Given).Distinct().ToArray();
        yield return (new EditRequest
        {
            Images = images.Select(i => i.Input).ToList(),
            Prompt = Prompt,
            ProfileIds = ProfileId ?? [],
            AspectRatio = ModelOptions.ParseAspectRatio(AspectRatio),
            Resolution = ModelOptions.ParseResolution(Resolution),
            BaseModel = ModelOptions.ParseBaseModel(BaseModel),
            Quality = ModelOptions.ParseQuality(Quality),
            NumOutputImages = Count,
            OutputFormat = OutputFormatValue,
            CallbackUrl = CallbackUrl,
            ClientRequestId = ClientRequestId,
        }, target);
    }
}
