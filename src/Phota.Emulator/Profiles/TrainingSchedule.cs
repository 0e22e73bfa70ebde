namespace Phota.Emulator.Profiles;

/// <summary>
/// Training time before scaling, proportional to training steps as documented per tier: fast
/// (Quick Train) 150 to 300 steps for 5 to 10 images, about 3 minutes at 10 images; standard
/// (Full Train) 500 to 1000 steps for 10 to 50 images, about 8 minutes at 50 images.
/// </summary>
internal static class TrainingSchedule
{
    public static readonly (int Min, int Max) FastImages = (5, 10);
    public static readonly (int Min, int Max) StandardImages = (10, 50);

    public static (int Min, int Max) ImageRange(string tier) => tier == "fast" ? FastImages : StandardImages;

    public static TimeSpan Duration(string tier, int imageCount, EmulatorOptions options)
    {
        var (min, max) = ImageRange(tier);
        var full = tier == "fast" ? options.QuickTrainDuration : options.FullTrainDuration;
        var share = 0.5 + 0.5 * Math.Clamp((double)(imageCount - min) / (max - min), 0, 1);
        return full * share;
    }
}
