using ImageMagick;
using SkiaSharp;

namespace Phota.Emulator.Tests.Imaging;

/// <summary>
/// Decodes rendered files with ImageMagick (Magick.NET), a decoder independent of the Skia that encoded them, and
/// compares geometry, format and pixels with the scene as drawn.
/// </summary>
public class ImageMagickCrossCheckTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(577, 1023)]
    [InlineData(4096, 2304)]
    [InlineData(4096, 4096)]
    public void ImageMagick_reads_both_formats_at_the_rendered_size(int width, int height)
    {
        foreach ((ImageFormatKind kind, MagickFormat expected) in new[] { (ImageFormatKind.Jpeg, MagickFormat.Jpeg), (ImageFormatKind.Png, MagickFormat.Png) })
        {
            var warnings = new List<string>();
            using var image = new MagickImage();
            image.Warning += (_, e) => warnings.Add(e.Message);
            image.Read(SyntheticImageTests.Render(width, height, kind, seed: width + height));

            Assert.Equal(expected, image.Format);
            Assert.Equal((uint)width, image.Width);
            Assert.Equal((uint)height, image.Height);
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void ImageMagick_decodes_the_png_to_exactly_the_scene()
    {
        const int width = 301, height = 403, seed = 21;

        byte[] decoded = DecodeToRgb(SyntheticImageTests.Render(width, height, ImageFormatKind.Png, seed));

        Assert.Equal(SceneRgb(width, height, seed), decoded);
    }

    [Theory]
    [InlineData(1023, 577, 22, 1.0)]
    [InlineData(600, 800, 23, 1.0)]
    [InlineData(17, 9, 24, 3.5)] // A tiny image is nearly all edges, which quantisation smooths.
    public void ImageMagick_decodes_the_jpeg_to_a_close_copy_of_the_scene(int width, int height, int seed, double maxLumaError)
    {
        byte[] decoded = DecodeToRgb(SyntheticImageTests.Render(width, height, ImageFormatKind.Jpeg, seed));
        byte[] expected = SceneRgb(width, height, seed);

        // Luma carries the detail; chroma is subsampled 2x2, so colour edges blur by design.
        Assert.Equal(expected.Length, decoded.Length);
        double lumaError = 0, sampleError = 0;
        for (int i = 0; i < expected.Length; i += 3)
        {
            lumaError += Math.Abs(Luma(expected, i) - Luma(decoded, i));
            for (int c = 0; c < 3; c++)
                sampleError += Math.Abs(expected[i + c] - decoded[i + c]);
        }
        int pixels = width * height;
        Assert.True(lumaError / pixels < maxLumaError, $"mean luma error {lumaError / pixels:F2}");
        Assert.True(sampleError / (3 * pixels) < 2 * maxLumaError + 1, $"mean sample error {sampleError / (3 * pixels):F2}");
    }

    private static double Luma(byte[] rgb, int i) => 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];

    private static byte[] DecodeToRgb(byte[] encoded)
    {
        using var image = new MagickImage(encoded);
        using IPixelCollection<byte> pixels = image.GetPixels();
        return pixels.ToByteArray(PixelMapping.RGB)!;
    }

    /// <summary>The scene as drawn, before encoding, as 8-bit RGB.</summary>
    internal static byte[] SceneRgb(int width, int height, int seed)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
            SyntheticScene.Draw(canvas, width, height, seed);
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int p = 0; p < width * height; p++)
            rgba.Slice(p * 4, 3).CopyTo(rgb.AsSpan(p * 3));
        return rgb;
    }
}
