using System.Buffers.Binary;
using System.IO.Compression;

namespace Phota.Tests;

/// <summary>Small real images written by the tests themselves (no imaging library needed).</summary>
internal static class TestImages
{
    /// <summary>A valid RGB PNG of the given size, filled with noise so it does not compress to nothing.</summary>
    public static byte[] Png(int width = 96, int height = 96, int seed = 1)
    {
        var random = new Random(seed);
        var raw = new byte[(width * 3 + 1) * height];
        for (var y = 0; y < height; y++)
        {
            var row = y * (width * 3 + 1);
            raw[row] = 0;
            random.NextBytes(raw.AsSpan(row + 1, width * 3));
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(png, "IHDR", ihdr);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
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
            {
                bytes[i] = 0x7F;
            }
        }

        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    public static byte[] WebPLike(int length = 64)
    {
        var bytes = new byte[length];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(length - 8));
        "WEBPVP8 "u8.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    public static byte[] HeicLike(string brand = "heic")
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 24);
        "ftyp"u8.CopyTo(bytes.AsSpan(4));
        System.Text.Encoding.ASCII.GetBytes(brand).CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = new Crc32Be();
        crc.Append(typeBytes);
        crc.Append(data);
        stream.Write(crc.Hash());
    }

    /// <summary>CRC-32 as PNG needs it (big-endian output).</summary>
    private sealed class Crc32Be
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            var c = (uint)n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            return c;
        }).ToArray();

        private uint _crc = 0xFFFFFFFF;

        public void Append(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                _crc = Table[(_crc ^ b) & 0xFF] ^ (_crc >> 8);
            }
        }

        public byte[] Hash()
        {
            var result = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(result, _crc ^ 0xFFFFFFFF);
            return result;
        }
    }
}

/// <summary>A temporary directory deleted at the end of a test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "phota-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string[] Files(string pattern = "*") => Directory.GetFiles(Path, pattern, SearchOption.AllDirectories);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
