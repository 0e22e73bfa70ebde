using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Phota.Emulator.Imaging;
using SkiaSharp;

namespace Phota.Testing;

/// <summary>
/// The images of the tests and benchmarks: noise and synthetic scenes encoded with Skia, photo files of exact sizes,
/// header-only ones for format sniffing, and a check that a saved JPEG is whole.
/// </summary>
public static class TestImages
{
    private const int MaxSegmentPayload = 65533;

    /// <summary>A valid RGB PNG of the given size, filled with noise so it does not compress to nothing.</summary>
    public static byte[] Png(int width = 96, int height = 96, int seed = 1) => Noise(width, height, seed, SKEncodedImageFormat.Png);

    /// <summary>A real lossy WebP of the given size.</summary>
    public static byte[] WebP(int width, int height, int seed = 1) => Noise(width, height, seed, SKEncodedImageFormat.Webp);

    /// <summary>A real JPEG of the given size.</summary>
    public static byte[] Jpeg(int width, int height, int seed = 1) => Noise(width, height, seed, SKEncodedImageFormat.Jpeg);

    /// <summary>A scene from the emulator's synthetic renderer (what its outputs look like): a photo with a subject.</summary>
    public static byte[] Synthetic(int width, int height, ImageFormatKind format = ImageFormatKind.Jpeg, int seed = 1)
    {
        using var stream = new MemoryStream();
        SyntheticImage.Render(stream, width, height, format, seed);
        return stream.ToArray();
    }

    /// <summary>A synthetic JPEG photo written to <paramref name="directory"/>.</summary>
    public static string SyntheticJpegFile(string directory, string name, int width, int height, int seed)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, Synthetic(width, height, ImageFormatKind.Jpeg, seed));
        return path;
    }

    /// <summary>
    /// <paramref name="count"/> copies of <paramref name="photo"/> under distinct names (photo-0001.jpg, ...) in
    /// <paramref name="directory"/>/photos, like a folder of photos: each result then gets its own file name.
    /// </summary>
    public static IReadOnlyList<string> Copies(string directory, string photo, int count)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, "photos")).FullName;
        var digits = "D" + Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length).ToString(CultureInfo.InvariantCulture);
        var paths = new List<string>(count);
        for (var i = 1; i <= count; i++)
        {
            var path = Path.Combine(folder, $"photo-{i.ToString(digits, CultureInfo.InvariantCulture)}.jpg");
            if (!File.Exists(path))
            {
                File.Copy(photo, path);
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// A valid JPEG of exactly <paramref name="bytes"/> bytes: a 1600 x 1200 synthetic photo grown with comment (COM)
    /// segments after its frame header, so it stays a decodable JPEG that the client's checks (signature, end marker)
    /// and the emulator's header probe accept.
    /// </summary>
    public static string PaddedJpeg(string directory, long bytes)
    {
        var image = Synthetic(1600, 1200, ImageFormatKind.Jpeg, seed: 11);
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

    /// <summary>Bytes that start and end like a JPEG (enough for sniffing, not for decoding).</summary>
    public static byte[] JpegLike(int length = 256)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            // No stray markers: only the ones placed below.
            if (bytes[i] == 0xFF)
                bytes[i] = 0x7F;
        }

        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    /// <summary>A RIFF/WEBP header and nothing decodable (enough for sniffing).</summary>
    public static byte[] WebPLike(int length = 64)
    {
        var bytes = new byte[length];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(length - 8));
        "WEBPVP8 "u8.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    /// <summary>An ftyp box of the given brand and nothing else (enough for sniffing).</summary>
    public static byte[] HeicLike(string brand = "heic")
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 24);
        "ftyp"u8.CopyTo(bytes.AsSpan(4));
        Encoding.ASCII.GetBytes(brand).CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    /// <summary>
    /// The boxes of a HEIC file that state its size: ftyp (brand heic), then meta/iprp/ipco/ispe. What format probes
    /// read; there is no image data (Skia cannot encode HEIC).
    /// </summary>
    public static byte[] Heic(int width, int height)
    {
        byte[] ftyp = Box("ftyp", "heic"u8.ToArray(), UInt32(0), "mif1heic"u8.ToArray());
        byte[] ispe = Box("ispe", UInt32(0), UInt32((uint)width), UInt32((uint)height));
        byte[] meta = Box("meta", UInt32(0), Box("iprp", Box("ipco", ispe)));
        return [.. ftyp, .. meta, .. new byte[64]];
    }

    /// <summary>An ISO-BMFF box: 32-bit big-endian size, four-letter type, then the content.</summary>
    public static byte[] Box(string type, params byte[][] content)
    {
        byte[] body = content.SelectMany(c => c).ToArray();
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        body.CopyTo(box, 8);
        return box;
    }

    /// <summary>
    /// Null when <paramref name="data"/> is a whole JPEG that Skia decodes to the last row; otherwise what is wrong
    /// with it. A file cut short anywhere fails.
    /// </summary>
    public static string? JpegProblem(byte[] data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
            return "no SOI marker";
        if (data[^2] != 0xFF || data[^1] != 0xD9)
            return "no EOI marker at the end (truncated)";
        using var codec = SKCodec.Create(new MemoryStream(data));
        if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
            return "Skia does not read it as a JPEG";
        using var bitmap = new SKBitmap(codec.Info);
        SKCodecResult result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        return result == SKCodecResult.Success ? null : $"decoding it ends with {result}";
    }

    private static byte[] Noise(int width, int height, int seed, SKEncodedImageFormat format)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        random.NextBytes(pixels);
        for (int alpha = 3; alpha < pixels.Length; alpha += 4)
            pixels[alpha] = 0xFF;
        using SKData encoded = bitmap.Encode(format, 90) ?? throw new InvalidOperationException($"Skia could not encode a {width}x{height} {format}.");
        return encoded.ToArray();
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

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
