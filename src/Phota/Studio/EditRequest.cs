using Phota.Errors;
using Phota.Images;
using Phota.Models;

namespace Phota.Studio;

/// <summary>POST /v1/phota/edit: transform 1 to 10 images, guided by a prompt (the API allows an empty one).</summary>
public sealed class EditRequest : StudioRequest
{
    public const int MaxImages = 10;

    public override StudioOperation Operation => StudioOperation.Edit;

    public required IReadOnlyList<ImageInput> Images { get; init; }

    /// <summary>The API's default is an empty prompt.</summary>
    public string Prompt { get; init; } = string.Empty;

    public IReadOnlyList<string> ProfileIds { get; init; } = [];

    public AspectRatio? AspectRatio { get; init; }

    public Resolution? Resolution { get; init; }

    public BaseModel? BaseModel { get; init; }

    /// <summary>Only with <see cref="Models.BaseModel.GptImage2"/>.</summary>
    public ImageQuality? Quality { get; init; }

    public override IReadOnlyList<ImageInput> InputImages => Images;

    public override string? PromptText => Prompt;

    internal override string Path => "v1/phota/edit";

    private protected override void ValidateOperation()
    {
        if (Images is null || Images.Count == 0)
        {
            throw new PhotaInputException("images", "no input image.", "Edit needs 1 to 10 images; to create an image from a prompt alone, use generate.");
        }

        if (Images.Count > MaxImages)
        {
            throw new PhotaInputException("images", $"{Images.Count} images given, more than the {MaxImages} one edit takes.", "Pass at most 10 images, or edit them in separate requests.");
        }

        ValidateProfileIds(ProfileIds);
        ValidateImageModel(BaseModel, Resolution, Quality, AspectRatio);
    }

    internal override StudioBodyFields BodyFields() => CommonBodyFields(Prompt, ProfileIds) with
    {
        AspectRatio = AspectRatio, Resolution = Resolution, BaseModel = BaseModel, Quality = Quality,
    };

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields() => [("images", true, Images)];
}
