using System.Diagnostics;
using System.Text;
using Phota.Emulator.Imaging;

namespace Phota.Emulator.Tests.Imaging;

/// <summary>
/// Decodes rendered files with ImageMagick, an independent decoder, and compares the pixels with the scene.
/// Skipped where ImageMagick is not installed; the structural tests cover those machines.
/// </summary>
public class ImageMagickCrossCheckTests
{
    [ImageMagickFact]
    public void ImageMagick_decodes_the_png_to_exactly_the_scene()
    {
        const int width = 301, height = 203, seed = 21;
        byte[] decoded = ImageMagick.DecodeToRgb(SyntheticImageTests.Render(width, height, ImageFormatKind.Png, seed), width, height);

        Assert.Equal(SceneRgb(width, height, seed), decoded);
    }

    [ImageMagickTheory]
    [InlineData(1023, 577, 22, 1.0)]
    [InlineData(600, 800, 23, 1.0)]
    [InlineData(17, 9, 24, 3.5)] // A tiny image is nearly all edges, which quantisation smooths.
    public void ImageMagick_decodes_the_jpeg_to_a_close_copy_of_the_scene(int width, int height, int seed, double maxLumaError)
    {
        byte[] decoded = ImageMagick.DecodeToRgb(SyntheticImageTests.Render(width, height, ImageFormatKind.Jpeg, seed), width, height);
        byte[] expected = SceneRgb(width, height, seed);

        // Luma carries the detail; chroma is subsampled 2x2, so colour edges blur by design.
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

    private static byte[] SceneRgb(int width, int height, int seed)
    {
        var scene = new SyntheticScene(width, height, seed);
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            scene.RenderRow(y, rgb.AsSpan(y * width * 3, width * 3));
        return rgb;
    }
}

internal static class ImageMagick
{
    private static readonly Lazy<string?> Executable = new(Find);

    public static bool IsAvailable => Executable.Value is not null;

    /// <summary>Decodes an image to raw 8-bit RGB through a binary PPM.</summary>
    public static byte[] DecodeToRgb(byte[] image, int width, int height)
    {
        string input = Path.Combine(Path.GetTempPath(), $"phota-imaging-{Guid.NewGuid():N}");
        File.WriteAllBytes(input, image);
        try
        {
            var start = new ProcessStartInfo(Executable.Value!) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(input);
            start.ArgumentList.Add("-depth");
            start.ArgumentList.Add("8");
            start.ArgumentList.Add("ppm:-");
            using var process = Process.Start(start)!;
            var output = new MemoryStream();
            Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            Task<string> errors = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(30_000), "ImageMagick did not finish");
            copy.Wait();
            Assert.True(process.ExitCode == 0, $"ImageMagick failed: {errors.Result}");

            byte[] ppm = output.ToArray();
            string header = $"P6\n{width} {height}\n255\n";
            Assert.Equal(header, Encoding.ASCII.GetString(ppm, 0, header.Length));
            Assert.Equal(header.Length + width * height * 3, ppm.Length);
            return ppm[header.Length..];
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static string? Find()
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in new[] { "magick", "convert" })
        {
            foreach (string directory in directories)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate) && ReportsImageMagickVersion(candidate))
                    return candidate;
            }
        }
        return null;
    }

    private static bool ReportsImageMagickVersion(string path)
    {
        try
        {
            var start = new ProcessStartInfo(path, "-version") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start);
            if (process is null)
                return false;
            string output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0 && output.StartsWith("Version: ImageMagick", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

internal sealed class ImageMagickFactAttribute : FactAttribute
{
    public ImageMagickFactAttribute()
    {
        if (!ImageMagick.IsAvailable)
            Skip = "ImageMagick is not installed.";
    }
}

internal sealed class ImageMagickTheoryAttribute : TheoryAttribute
{
    public ImageMagickTheoryAttribute()
    {
        if (!ImageMagick.IsAvailable)
            Skip = "ImageMagick is not installed.";
    }
}
