using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Phota.Testing;

/// <summary>
/// The test projects' images: real ones encoded with Skia, header-only ones for format sniffing, and a check that a
/// saved JPEG is whole.
/// </summary>
public static class TestImages
{
    /// <summary>A valid RGB PNG of the given size, filled with noise so it does not compress to nothing.</summary>
    public static byte[] Png(int width = 96, int height = 96, int seed = 1) => Noise(width, height, seed, SKEncodedImageFormat.Png);

    /// <summary>A real lossy WebP of the given size.</summary>
    public static byte[] WebP(int width, int height, int seed = 1) => Noise(width, height, seed, SKEncodedImageFormat.Webp);

    /// <summary>A real JPEG of the given size.</summary>
    public static byte[] Jpeg(int width, int height, int seed = 1) => Noise(width, height, seed, SKEncodedImageFormat.Jpeg);

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

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
