using Phota.Emulator.Imaging;
using Phota.Emulator.Jobs;

namespace Phota.Emulator.Studio;

/// <summary>
/// Output pixel size. Edit and generate: long side 1K=1024, 2K=2048, 4K=4096 in the requested
/// aspect ratio; <c>auto</c> keeps the first input's ratio (generate, with no input: 1:1). Remix:
/// 2K in the input image's ratio. Enhance (no size options): the input's ratio, long side the
/// input's own clamped to 1024..4096.
/// </summary>
internal static class OutputGeometry
{
    public static OutputSize For(ReceivedStudioRequest request, IReadOnlyList<ImageInfo> inputs)
    {
        var first = inputs.Count > 0 ? inputs[0] : default;
        var (inputW, inputH) = first.Width > 0 && first.Height > 0 ? (first.Width, first.Height) : (1, 1);
        return request.Operation switch
        {
            "enhance" => Fit(Math.Clamp(Math.Max(inputW, inputH), 1024, 4096), inputW, inputH),
            "remix" => Fit(2048, inputW, inputH),
            _ => request.AspectRatio == "auto"
                ? Fit(LongSide(request.Resolution), inputW, inputH)
                : Fit(LongSide(request.Resolution), Ratio(request.AspectRatio).W, Ratio(request.AspectRatio).H),
        };
    }

    public static int LongSide(string resolution) => resolution switch
    {
        "4K" => 4096,
        "2K" => 2048,
        _ => 1024,
    };

    private static (int W, int H) Ratio(string aspect)
    {
        var parts = aspect.Split(':');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static OutputSize Fit(int longSide, double ratioW, double ratioH) =>
        ratioW >= ratioH
            ? new OutputSize(longSide, Math.Max(1, (int)Math.Round(longSide * ratioH / ratioW)))
            : new OutputSize(Math.Max(1, (int)Math.Round(longSide * ratioW / ratioH)), longSide);
}
