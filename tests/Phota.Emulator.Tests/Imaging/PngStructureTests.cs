using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Phota.Emulator.Imaging;

namespace Phota.Emulator.Tests.Imaging;

public class PngStructureTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1023, 577)]
    [InlineData(300, 400)]
    [InlineData(2000, 1500)]
    public void Every_chunk_has_a_correct_crc_and_the_chunks_are_ihdr_idat_iend(int width, int height)
    {
        byte[] png = SyntheticImageTests.Render(width, height, ImageFormatKind.Png, seed: 4);
        List<(string Type, byte[] Data)> chunks = ReadChunks(png);

        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);
        Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.Equal("IDAT", c.Type));
        Assert.True(chunks.Count >= 3);

        byte[] ihdr = chunks[0].Data;
        Assert.Equal(13, ihdr.Length);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, ihdr[8..]); // 8-bit RGB, deflate, adaptive filtering, no interlace
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1023, 577)]
    [InlineData(64, 2)]
    public void The_inflated_image_data_holds_one_filtered_row_per_line_and_reproduces_the_scene(int width, int height)
    {
        const int seed = 12;
        byte[] png = SyntheticImageTests.Render(width, height, ImageFormatKind.Png, seed);
        byte[] raw = Inflate(ReadChunks(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());

        int stride = 1 + 3 * width;
        Assert.Equal(height * stride, raw.Length);

        var scene = new SyntheticScene(width, height, seed);
        var expected = new byte[3 * width];
        var previous = new byte[3 * width];
        var current = new byte[3 * width];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * stride];
            Assert.InRange(filter, (byte)0, (byte)4);
            Unfilter(filter, raw.AsSpan(y * stride + 1, 3 * width), previous, current);
            scene.RenderRow(y, expected);
            Assert.Equal(expected, current);
            (previous, current) = (current, previous);
        }
    }

    [Fact]
    public void The_reference_crc_matches_the_png_specification_example()
    {
        // The CRC of the four bytes "IEND" with no data is AE 42 60 82 in every PNG.
        Assert.Equal(0xAE426082u, ReferenceCrc(Encoding.ASCII.GetBytes("IEND")));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    /// <summary>Walks the chunks after the signature, checking each CRC with a bit-by-bit reference CRC-32.</summary>
    internal static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string, byte[])>();
        int i = 8;
        while (i < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            string type = Encoding.ASCII.GetString(png, i + 4, 4);
            byte[] data = png[(i + 8)..(i + 8 + length)];
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(i + 8 + length));
            Assert.True(stored == ReferenceCrc(png.AsSpan(i + 4, 4 + length)), $"{type} chunk at offset {i} has a wrong CRC");
            chunks.Add((type, data));
            i += 12 + length;
        }
        Assert.Equal(png.Length, i);
        return chunks;
    }

    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var inflater = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        return raw.ToArray();
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> line, byte[] previous, byte[] current)
    {
        for (int i = 0; i < line.Length; i++)
        {
            int left = i >= 3 ? current[i - 3] : 0;
            int up = previous[i];
            int upLeft = i >= 3 ? previous[i - 3] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                _ => Paeth(left, up, upLeft),
            };
            current[i] = (byte)(line[i] + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
