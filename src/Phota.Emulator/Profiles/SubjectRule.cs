using Phota.Emulator.Imaging;

namespace Phota.Emulator.Profiles;

/// <summary>
/// The emulator's stand-in for subject detection, deterministic and documented: a training image
/// whose shorter side is under 64 pixels shows no subject; a profile whose images mostly (more than
/// half) show no subject fails validation with ERROR.
/// </summary>
internal static class SubjectRule
{
    public const int MinSubjectSide = 64;

    public static bool HasSubject(ImageInfo image) => Math.Min(image.Width, image.Height) >= MinSubjectSide;

    /// <summary>The ERROR message, or null when enough images show a subject.</summary>
    public static string? Check(IReadOnlyList<ImageInfo> images)
    {
        var without = images.Count(i => !HasSubject(i));
        return without * 2 > images.Count
            ? $"No subject was detected in {without} of {images.Count} training images (a subject needs images at least {MinSubjectSide} px on the shorter side). Provide clear photos of one person, dog or cat."
            : null;
    }
}
