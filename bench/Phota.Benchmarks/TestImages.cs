using System.Buffers.Binary;
using Phota.Emulator.Imaging;

namespace Phota.Benchmarks;

/// <summary>
/// Input photos for the runs: real JPEGs rendered by the emulator's synthetic renderer, grown to an exact size with
/// comment (COM) segments placed after the frame header, so they stay valid, decodable JPEGs that both the client's
/// checks (signature, end marker) and the emulator's header probe accept.
/// </summary>
internal static class TestImages
{
    private const int MaxSegmentPayload = 65533;

    /// <summary>A small photo (640 x 480 JPEG, tens of KB), as used for the throughput runs.</summary>
    public static string SmallPhoto(string directory)
    {
        var path = Path.Combine(directory, "small-640x480.jpg");
        using var file = File.Create(path);
        SyntheticImage.Render(file, 640, 480, ImageFormatKind.Jpeg, seed: 7);
        return path;
    }

    /// <summary>
    /// <paramref name="count"/> copies of the small photo under distinct names (photo-0001.jpg, ...), like a folder of
    /// photos: each result then gets its own file name, as in real batches.
    /// </summary>
    public static IReadOnlyList<string> SmallPhotos(string directory, string photo, int count)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, "photos")).FullName;
        var paths = new List<string>(count);
        for (var i = 1; i <= count; i++)
        {
            var path = Path.Combine(folder, $"photo-{i:0000}.jpg");
            if (!File.Exists(path))
            {
                File.Copy(photo, path);
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>A valid JPEG of exactly <paramref name="bytes"/> bytes (a 1600 x 1200 image plus padding).</summary>
    public static string PaddedJpeg(string directory, long bytes)
    {
        using var rendered = new MemoryStream();
        SyntheticImage.Render(rendered, 1600, 1200, ImageFormatKind.Jpeg, seed: 11);
        var image = rendered.ToArray();
        if (bytes < image.Length + 4)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"A padded JPEG needs at least {image.Length + 4} bytes.");
        }

        var insertAt = EndOfFrameHeader(image);
        var path = Path.Combine(directory, $"photo-{bytes}.jpg");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1024 * 1024);
        file.Write(image, 0, insertAt);
        var padding = bytes - image.Length;
        var random = new Random(1234);
        var segment = new byte[4 + MaxSegmentPayload];
        while (padding > 0)
        {
            // Each COM segment is FF FE, a 2-byte length (counting itself), then the payload; keep the last one >= 4 bytes.
            var size = (int)Math.Min(padding, segment.Length);
            if (padding - size is > 0 and < 4)
            {
                size -= 4;
            }

            segment[0] = 0xFF;
            segment[1] = 0xFE;
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(size - 2));
            random.NextBytes(segment.AsSpan(4, size - 4));
            file.Write(segment, 0, size);
            padding -= size;
        }

        file.Write(image, insertAt, image.Length - insertAt);
        file.Flush();
        if (file.Length != bytes)
        {
            throw new InvalidOperationException($"Padded JPEG is {file.Length} bytes, not {bytes}.");
        }

        return path;
    }

    /// <summary>The offset just after the SOFn segment (padding goes between it and the scan).</summary>
    private static int EndOfFrameHeader(byte[] jpeg)
    {
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return i + 2 + length;
            }

            if (marker == 0xDA)
            {
                break;
            }

            i += 2 + length;
        }

        throw new InvalidOperationException("The rendered JPEG has no frame header before its scan.");
    }
}
