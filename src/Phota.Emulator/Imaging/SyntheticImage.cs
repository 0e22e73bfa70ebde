namespace Phota.Emulator.Imaging;

/// <summary>
/// Renders the emulator's stand-in results: real, decodable JPEG or PNG files showing a small landscape that
/// varies with the seed. Output is streamed a few rows at a time, so 4K images need little memory.
/// </summary>
public static class SyntheticImage
{
    /// <summary>The largest width or height accepted (the JPEG frame header's limit).</summary>
    internal const int MaxDimension = JpegEncoder.MaxDimension;

    /// <param name="destination">Receives the encoded file; it is written, not flushed or closed.</param>
    /// <param name="width">1 to 65535 pixels.</param>
    /// <param name="height">1 to 65535 pixels.</param>
    /// <param name="format"><see cref="ImageFormatKind.Jpeg"/> or <see cref="ImageFormatKind.Png"/>.</param>
    /// <param name="seed">Chooses palette and layout; the same seed and size give the same bytes.</param>
    public static void Render(Stream destination, int width, int height, ImageFormatKind format, int seed)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (width is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"Width must be 1 to {MaxDimension}.");
        if (height is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"Height must be 1 to {MaxDimension}.");

        var scene = new SyntheticScene(width, height, seed);
        switch (format)
        {
            case ImageFormatKind.Jpeg:
                JpegEncoder.Encode(destination, width, height, scene.RenderRow);
                break;
            case ImageFormatKind.Png:
                PngEncoder.Encode(destination, width, height, scene.RenderRow);
                break;
            default:
                throw new ArgumentException($"Synthetic images are rendered as JPEG or PNG, not {format}.", nameof(format));
        }
    }
}
