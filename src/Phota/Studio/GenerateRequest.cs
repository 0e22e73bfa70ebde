using Phota.Errors;
using Phota.Images;
using Phota.Models;

namespace Phota.Studio;

/// <summary>POST /v1/phota/generate: create images from a prompt; profiles are referenced in it as <c>[[profile_id]]</c>.</summary>
public sealed class GenerateRequest : StudioRequest
{
    public override StudioOperation Operation => StudioOperation.Generate;

    /// <summary>The API's default is an empty prompt.</summary>
    public string Prompt { get; init; } = string.Empty;

    public AspectRatio? AspectRatio { get; init; }

    public Resolution? Resolution { get; init; }

    public BaseModel? BaseModel { get; init; }

    public ImageQuality? Quality { get; init; }

    /// <summary>Must stay empty: generate takes no profile_ids (it is here so the mistake gets a helpful message).</summary>
    public IReadOnlyList<string> ProfileIds { get; init; } = [];

    /// <summary>Must stay empty: generate takes no input images.</summary>
    public IReadOnlyList<ImageInput> Images { get; init; } = [];

    public override IReadOnlyList<ImageInput> InputImages => [];

    public override string? PromptText => Prompt;

    internal override string Path => "v1/phota/generate";

    private protected override void ValidateOperation()
    {
        if (Images.Count > 0)
        {
            throw new PhotaInputException("images", "generate takes no input images.", "Use edit to transform existing photos.");
        }

        if (ProfileIds.Count > 0)
        {
            throw new PhotaInputException("profile_ids", "generate takes no profile_ids.",
                $"Reference the profiles in the prompt instead, e.g. \"... [[{ProfileIds[0]}]] ...\".");
        }

        ValidateImageModel(BaseModel, Resolution, Quality, AspectRatio);
    }

    internal override StudioBodyFields BodyFields() => CommonBodyFields(Prompt, profileIds: []) with
    {
        AspectRatio = AspectRatio, Resolution = Resolution, BaseModel = BaseModel, Quality = Quality,
    };

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields() => [];
}
