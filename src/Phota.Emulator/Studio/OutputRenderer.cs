using System.Security.Cryptography;
using System.Text;
using Phota.Emulator.Imaging;
using Phota.Emulator.Jobs;

namespace Phota.Emulator.Studio;

/// <summary>Renders output images on demand; the same job and index always give the same bytes.</summary>
internal static class OutputRenderer
{
    public static int Seed(string jobId, int index) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId}#{index}")), 0);

    public static ImageFormatKind Kind(string outputFormat) => outputFormat == "jpg" ? ImageFormatKind.Jpeg : ImageFormatKind.Png;

    public static string ContentType(string outputFormat) => outputFormat == "jpg" ? "image/jpeg" : "image/png";

    public static void Render(Stream destination, string jobId, int index, OutputSize size, string outputFormat) =>
        SyntheticImage.Render(destination, size.Width, size.Height, Kind(outputFormat), Seed(jobId, index));

    public static byte[] Render(string jobId, int index, OutputSize size, string outputFormat)
    {
        using var buffer = new MemoryStream();
        Render(buffer, jobId, index, size, outputFormat);
        return buffer.ToArray();
    }
}
