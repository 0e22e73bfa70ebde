using Phota.Errors;
using Phota.Images;
using Phota.Models;

namespace Phota.Studio;

/// <summary>POST /v1/phota/remix: render the input image's content in the reference image's style (output fixed at 2K).</summary>
public sealed class RemixRequest : StudioRequest
{
    public override StudioOperation Operation => StudioOperation.Remix;

    public required ImageInput InputImage { get; init; }

    public required ImageInput ReferenceImage { get; init; }

    public IReadOnlyList<string> ProfileIds { get; init; } = [];

    public string? Prompt { get; init; }

    public override IReadOnlyList<ImageInput> InputImages => [InputImage, ReferenceImage];

    public override string? PromptText => Prompt;

    internal override string Path => "v1/phota/remix";

    private protected override void ValidateOperation()
    {
        if (InputImage is null)
        {
            throw new PhotaInputException("input_image", "no input image.", "Pass the photo whose content to keep.");
        }

        if (ReferenceImage is null)
        {
            throw new PhotaInputException("reference_image", "no reference image.", "Pass the image whose style to apply.");
        }

        ValidateProfileIds(ProfileIds);
    }

    internal override StudioBodyFields BodyFields() => CommonBodyFields(string.IsNullOrWhiteSpace(Prompt) ? null : Prompt, ProfileIds);

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields()
        => [("input_image", false, [InputImage]), ("reference_image", false, [ReferenceImage])];
}
