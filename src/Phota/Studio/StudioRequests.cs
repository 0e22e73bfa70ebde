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

    internal override StudioRequestScalars Scalars() => new()
    {
        Prompt = Prompt,
        ProfileIds = ProfileIds.Count == 0 ? null : ProfileIds,
        NumOutputImages = NumOutputImages,
        AspectRatio = AspectRatio,
        Resolution = Resolution,
        BaseModel = BaseModel,
        Quality = Quality,
        OutputFormat = OutputFormat,
    };

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields() => [("images", true, Images)];
}

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

    internal override StudioRequestScalars Scalars() => new()
    {
        Prompt = Prompt,
        NumOutputImages = NumOutputImages,
        AspectRatio = AspectRatio,
        Resolution = Resolution,
        BaseModel = BaseModel,
        Quality = Quality,
        OutputFormat = OutputFormat,
    };

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields() => [];
}

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

    internal override StudioRequestScalars Scalars() => new()
    {
        Prompt = string.IsNullOrWhiteSpace(Prompt) ? null : Prompt,
        ProfileIds = ProfileIds.Count == 0 ? null : ProfileIds,
        NumOutputImages = NumOutputImages,
        OutputFormat = OutputFormat,
    };

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields() => [("image", false, [Image])];
}

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

    internal override StudioRequestScalars Scalars() => new()
    {
        Prompt = string.IsNullOrWhiteSpace(Prompt) ? null : Prompt,
        ProfileIds = ProfileIds.Count == 0 ? null : ProfileIds,
        NumOutputImages = NumOutputImages,
        OutputFormat = OutputFormat,
    };

    internal override IReadOnlyList<(string, bool, IReadOnlyList<ImageInput>)> ImageFields()
        => [("input_image", false, [InputImage]), ("reference_image", false, [ReferenceImage])];
}
