using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace Phota.Emulator.Imaging;

/// <summary>
/// Renders the emulator's stand-in results: real, decodable JPEG or PNG files showing a small landscape that
/// varies with the seed, drawn and encoded by Skia. A render holds one bitmap of the image (64 MB at 4096x4096)
/// while it encodes; bitmaps come from the shared array pool, because touching fresh memory of that size costs more
/// than drawing the scene.
/// </summary>
public static class SyntheticImage
{
    /// <summary>The largest width or height accepted: twice the API's largest output (4K), so memory stays bounded.</summary>
    internal const int MaxDimension = 8192;

    private const int JpegQuality = 90;

    /// <param name="destination">Receives the encoded file; it is written, not flushed or closed.</param>
    /// <param name="width">1 to <see cref="MaxDimension"/> pixels.</param>
    /// <param name="height">1 to <see cref="MaxDimension"/> pixels.</param>
    /// <param name="format"><see cref="ImageFormatKind.Jpeg"/> or <see cref="ImageFormatKind.Png"/>.</param>
    /// <param name="seed">Chooses palette and layout; the same seed and size give the same bytes.</param>
    public static void Render(Stream destination, int width, int height, ImageFormatKind format, int seed)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (width is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"Width must be 1 to {MaxDimension}.");
        if (height is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"Height must be 1 to {MaxDimension}.");
        if (format is not (ImageFormatKind.Jpeg or ImageFormatKind.Png))
            throw new ArgumentException($"Synthetic images are rendered as JPEG or PNG, not {format}.", nameof(format));

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        GCHandle pinned = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            using var pixels = new SKPixmap(info, pinned.AddrOfPinnedObject(), info.RowBytes);
            using (SKSurface surface = SKSurface.Create(pixels))
                SyntheticScene.Draw(surface.Canvas, width, height, seed);
            using SKData encoded = Encode(pixels, format, width, height);
            encoded.SaveTo(destination);
        }
        finally
        {
            pinned.Free();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SKData Encode(SKPixmap pixels, ImageFormatKind format, int width, int height) =>
        (format == ImageFormatKind.Jpeg
            ? pixels.Encode(new SKJpegEncoderOptions(JpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
            : pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Up, zLibLevel: 3)))
            ?? throw new InvalidOperationException($"Skia could not encode a {width}x{height} {format}.");
}
