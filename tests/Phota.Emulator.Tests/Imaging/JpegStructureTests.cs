using System.Buffers.Binary;
using Phota.Emulator.Imaging;

namespace Phota.Emulator.Tests.Imaging;

public class JpegStructureTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1023, 577)]
    [InlineData(640, 480)]
    [InlineData(31, 47)]
    public void Markers_appear_in_baseline_order_with_the_right_frame(int width, int height)
    {
        byte[] jpeg = SyntheticImageTests.Render(width, height, ImageFormatKind.Jpeg, seed: 11);
        List<(byte Marker, byte[] Payload)> segments = ReadHeaderSegments(jpeg, out int scanStart);

        Assert.Equal([0xE0, 0xDB, 0xC0, 0xC4, 0xC4, 0xC4, 0xC4, 0xDA], segments.Select(s => s.Marker));
        Assert.Equal("JFIF\0"u8.ToArray(), segments[0].Payload[..5]);

        byte[] sof = segments[2].Payload;
        Assert.Equal(8, sof[0]);
        Assert.Equal(height, BinaryPrimitives.ReadUInt16BigEndian(sof.AsSpan(1)));
        Assert.Equal(width, BinaryPrimitives.ReadUInt16BigEndian(sof.AsSpan(3)));
        Assert.Equal(3, sof[5]);
        Assert.Equal(new byte[] { 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 }, sof[6..]);

        byte[] dqt = segments[1].Payload;
        Assert.Equal(130, dqt.Length);
        Assert.Equal(0, dqt[0]);
        Assert.Equal(1, dqt[65]);
        Assert.DoesNotContain((byte)0, dqt.Skip(1).Take(64)); // a zero quantiser would be invalid

        Assert.Equal(new byte[] { 0x00, 0x10, 0x01, 0x11 }, segments.Where(s => s.Marker == 0xC4).Select(s => s.Payload[0]));
        foreach (byte[] dht in segments.Where(s => s.Marker == 0xC4).Select(s => s.Payload))
            Assert.Equal(dht.Length - 17, dht.Skip(1).Take(16).Sum(b => b));

        Assert.True(scanStart < jpeg.Length - 2, "no entropy-coded data");
    }

    [Theory]
    [InlineData(1023, 577, 1)]
    [InlineData(256, 256, 2)]
    [InlineData(97, 1001, 3)]
    public void Entropy_coded_data_stuffs_every_ff_and_the_file_ends_with_eoi(int width, int height, int seed)
    {
        byte[] jpeg = SyntheticImageTests.Render(width, height, ImageFormatKind.Jpeg, seed);
        ReadHeaderSegments(jpeg, out int scanStart);

        Assert.Equal(0xFF, jpeg[^2]);
        Assert.Equal(0xD9, jpeg[^1]);
        for (int i = scanStart; i < jpeg.Length - 2; i++)
        {
            if (jpeg[i] != 0xFF)
                continue;
            Assert.True(jpeg[i + 1] == 0x00, $"unstuffed FF {jpeg[i + 1]:X2} at offset {i}");
            i++;
        }
        Assert.True(jpeg.Length - scanStart > 64, "implausibly little entropy-coded data");
    }

    [Fact]
    public void Huffman_tables_cover_every_symbol_a_baseline_scan_can_need()
    {
        CheckTable(JpegTables.LuminanceDcCounts, JpegTables.LuminanceDcSymbols, DcSymbols());
        CheckTable(JpegTables.ChrominanceDcCounts, JpegTables.ChrominanceDcSymbols, DcSymbols());
        CheckTable(JpegTables.LuminanceAcCounts, JpegTables.LuminanceAcSymbols, AcSymbols());
        CheckTable(JpegTables.ChrominanceAcCounts, JpegTables.ChrominanceAcSymbols, AcSymbols());

        static IEnumerable<int> DcSymbols() => Enumerable.Range(0, 12);

        // EOB, ZRL, and every run of 0..15 zeros followed by a size category of 1..10.
        static IEnumerable<int> AcSymbols() =>
            new[] { 0x00, 0xF0 }.Concat(from run in Enumerable.Range(0, 16) from size in Enumerable.Range(1, 10) select (run << 4) | size);
    }

    private static void CheckTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols, IEnumerable<int> required)
    {
        Assert.Equal(16, counts.Length);
        int total = 0;
        foreach (byte c in counts)
            total += c;
        Assert.Equal(symbols.Length, total);
        Assert.Equal(required.Order(), symbols.ToArray().Select(s => (int)s).Order());

        // Canonical codes must fit their lengths, and none may be all 1-bits (T.81 C.2).
        var table = new JpegEncoder.HuffmanTable(counts, symbols);
        foreach (byte symbol in symbols)
        {
            int length = table.Lengths[symbol];
            Assert.InRange(length, 1, 16);
            Assert.True(table.Codes[symbol] < (1 << length) - 1, $"symbol {symbol:X2} has code {table.Codes[symbol]} of length {length}");
        }
    }

    [Fact]
    public void Quality_90_scales_the_annex_k_tables_to_a_fifth()
    {
        byte[] scaled = JpegTables.ScaleQuantization(JpegTables.LuminanceQuantization, 90);

        Assert.Equal((16 * 20 + 50) / 100, scaled[0]);
        Assert.Equal((99 * 20 + 50) / 100, scaled[63]);
        Assert.Equal(JpegTables.LuminanceQuantization.ToArray(), JpegTables.ScaleQuantization(JpegTables.LuminanceQuantization, 50));
    }

    [Fact]
    public void The_zig_zag_order_is_a_permutation_walking_anti_diagonals()
    {
        ReadOnlySpan<byte> zigZag = JpegTables.ZigZag;
        Assert.Equal(Enumerable.Range(0, 64), zigZag.ToArray().Select(b => (int)b).Order());
        for (int k = 1; k < 64; k++)
        {
            int previousDiagonal = zigZag[k - 1] / 8 + zigZag[k - 1] % 8;
            int diagonal = zigZag[k] / 8 + zigZag[k] % 8;
            Assert.InRange(diagonal - previousDiagonal, 0, 1);
        }
    }

    /// <summary>Reads the marker segments from SOI up to and including SOS; the scan data starts at <paramref name="scanStart"/>.</summary>
    internal static List<(byte Marker, byte[] Payload)> ReadHeaderSegments(byte[] jpeg, out int scanStart)
    {
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
        var segments = new List<(byte, byte[])>();
        int i = 2;
        while (true)
        {
            Assert.Equal(0xFF, jpeg[i]);
            byte marker = jpeg[i + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            Assert.True(length >= 2, $"segment {marker:X2} has length {length}");
            segments.Add((marker, jpeg[(i + 4)..(i + 2 + length)]));
            i += 2 + length;
            if (marker == 0xDA)
            {
                scanStart = i;
                return segments;
            }
        }
    }
}
