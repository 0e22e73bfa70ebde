using Phota.Errors;
using Phota.Images;
using Phota.Models;

namespace Phota.Profiles;

/// <summary>Checks a profile request against the tier's image count, the tag length and the URL rules before anything is paid for.</summary>
public static class ProfileRequestValidator
{
    public const int StandardMinImages = 10;
    public const int StandardMaxImages = 50;
    public const int FastMinImages = 5;
    public const int FastMaxImages = 10;
    public const int MaxTagLength = 128;

    /// <summary>A tag's length as the server counts it: characters (Unicode code points), not UTF-16 units.</summary>
    public static int TagLength(string tag) => tag.EnumerateRunes().Count();

    /// <summary>Refuses a tag outside 1 to 128 characters (used by add, and by list's filter).</summary>
    public static void ValidateTag(string? tag)
    {
        if (tag is not null && TagLength(tag) is var length && (length < 1 || length > MaxTagLength))
        {
            throw new PhotaInputException("tag", $"is {length} characters long.", $"Use 1 to {MaxTagLength} characters.");
        }
    }

    public static (int Min, int Max) ImageCountRange(TrainingTier tier)
        => tier == TrainingTier.Fast ? (FastMinImages, FastMaxImages) : (StandardMinImages, StandardMaxImages);

    public static void Validate(AddProfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TrainingTier.IsKnown)
        {
            throw new PhotaInputException("training_tier", $"'{request.TrainingTier}' is not a training tier.", "Use standard or fast.");
        }

        var (min, max) = ImageCountRange(request.TrainingTier);
        var count = request.ImageUrls?.Count ?? 0;
        if (count < min || count > max)
        {
            var other = request.TrainingTier == TrainingTier.Fast
                ? "the standard tier takes 10 to 50"
                : "the fast tier takes 5 to 10";
            throw new PhotaInputException("image_urls", $"{count} images given; the {request.TrainingTier} tier takes {min} to {max}.",
                $"Pass {min} to {max} image URLs ({other}).");
        }

        foreach (var url in request.ImageUrls!)
        {
            // Profiles take public URLs only; the same checks as studio URL inputs apply.
            if (url is null || !(url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
            {
                throw new PhotaInputException(url ?? "image_urls", "is not an http(s) URL.", "Profiles are trained from public http(s) image URLs only; upload the photos somewhere public first.");
            }

            ImageInput.FromUrl(url);
        }

        ValidateTag(request.Tag);
    }
}
