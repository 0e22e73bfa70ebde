using Phota.Errors;
using Phota.Images;
using Phota.Models;

namespace Phota.Studio;

/// <summary>POST /v1/phota/enhance: improve one photo, optionally guided by a prompt and known profiles.</summary>
public sealed class EnhanceRequest : StudioRequest
{
    public override StudioOperation Operation => StudioOperation.Enhance;

    public required ImageInput Image { get; init; }

    public IReadOnlyList<string> ProfileIds { get; init; } = [];

    public string? Prompt { get; init; }

    public override IReadOnlyList<ImageInput> InputImages => [Image];

    public override string? PromptText => Prompt;

    internal override string Path => "v1/phota/enhance";

    private protected override void ValidateOperation()
    {
        if (Image is null)
        {
            throw new PhotaInputException("image", "no input image.", "Pass the photo to enhance.");
        }

        ValidateProfileIds(ProfileIds);
    }

    internal override StudioBodyFields BodyFields() => CommonBodyFields(string.IsNullOrWhiteSpace(Prompt) ? null : Prompt, ProfileIds);

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields() => [("image", false, [Image])];
}
