using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Phota.Emulator.Imaging;

/// <summary>
/// A baseline (SOF0) JPEG encoder: JFIF, YCbCr 4:2:0, the Annex K quantisation and Huffman tables, one scan.
/// It asks for 16 rows at a time (one row of 16x16 MCUs) and writes the entropy-coded data through a 64 KiB
/// buffer, so memory stays a few rows of the image regardless of its size.
/// </summary>
internal sealed class JpegEncoder
{
    public const int DefaultQuality = 90;
    public const int MaxDimension = 65535;

    private const int McuSize = 16;

    private readonly Stream _destination;
    private readonly byte[] _output = new byte[64 * 1024];
    private int _outputLength;
    private ulong _bitBuffer;
    private int _bitCount;

    private readonly byte[] _lumaQuantization;
    private readonly byte[] _chromaQuantization;
    private readonly float[] _lumaDivisors;
    private readonly float[] _chromaDivisors;

    private static readonly HuffmanTable LumaDc = new(JpegTables.LuminanceDcCounts, JpegTables.LuminanceDcSymbols);
    private static readonly HuffmanTable LumaAc = new(JpegTables.LuminanceAcCounts, JpegTables.LuminanceAcSymbols);
    private static readonly HuffmanTable ChromaDc = new(JpegTables.ChrominanceDcCounts, JpegTables.ChrominanceDcSymbols);
    private static readonly HuffmanTable ChromaAc = new(JpegTables.ChrominanceAcCounts, JpegTables.ChrominanceAcSymbols);

    // JFIF YCbCr from 8-bit RGB, as lookup tables: one multiply-free sum of three entries per component.
    // Y is stored level-shifted by -128, as the DCT expects; Cb and Cr are centred on 0 already.
    private static readonly float[] YFromR = Weights(0.299f, -128f), YFromG = Weights(0.587f, 0f), YFromB = Weights(0.114f, 0f);
    private static readonly float[] CbFromR = Weights(-0.168736f, 0f), CbFromG = Weights(-0.331264f, 0f), CbFromB = Weights(0.5f, 0f);
    private static readonly float[] CrFromR = Weights(0.5f, 0f), CrFromG = Weights(-0.418688f, 0f), CrFromB = Weights(-0.081312f, 0f);

    private JpegEncoder(Stream destination, int quality)
    {
        _destination = destination;
        _lumaQuantization = JpegTables.ScaleQuantization(JpegTables.LuminanceQuantization, quality);
        _chromaQuantization = JpegTables.ScaleQuantization(JpegTables.ChrominanceQuantization, quality);
        _lumaDivisors = Divisors(_lumaQuantization);
        _chromaDivisors = Divisors(_chromaQuantization);
    }

    public static void Encode(Stream destination, int width, int height, RgbRowSource rows, int quality = DefaultQuality)
    {
        if (width is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(width));
        if (height is < 1 or > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(height));
        new JpegEncoder(destination, quality).Write(width, height, rows);
    }

    private void Write(int width, int height, RgbRowSource rows)
    {
        WriteHeaders(width, height);

        int mcuColumns = (width + McuSize - 1) / McuSize;
        int mcuRows = (height + McuSize - 1) / McuSize;
        int lumaStride = mcuColumns * McuSize;
        int chromaStride = mcuColumns * McuSize / 2;
        var luma = new float[McuSize * lumaStride];
        var cb = new float[McuSize / 2 * chromaStride];
        var cr = new float[McuSize / 2 * chromaStride];
        var rgb = new byte[width * 3];
        var block = new float[64];
        var coefficients = new int[64];
        int lumaDc = 0, cbDc = 0, crDc = 0;

        for (int mcuRow = 0; mcuRow < mcuRows; mcuRow++)
        {
            Array.Clear(cb);
            Array.Clear(cr);
            for (int r = 0; r < McuSize; r++)
            {
                int y = mcuRow * McuSize + r;
                if (y < height)
                    rows(y, rgb); // Past the bottom edge the last row repeats.
                ConvertRow(rgb, width, luma.AsSpan(r * lumaStride, lumaStride), cb.AsSpan((r >> 1) * chromaStride, chromaStride), cr.AsSpan((r >> 1) * chromaStride, chromaStride));
            }

            for (int mcu = 0; mcu < mcuColumns; mcu++)
            {
                int x = mcu * McuSize;
                for (int part = 0; part < 4; part++)
                {
                    LoadBlock(luma, lumaStride, x + (part & 1) * 8, (part >> 1) * 8, 1f, block);
                    EncodeBlock(block, coefficients, _lumaDivisors, ref lumaDc, LumaDc, LumaAc);
                }
                // Each chroma sample holds the sum of a 2x2 neighbourhood; a quarter of it is the average.
                LoadBlock(cb, chromaStride, mcu * 8, 0, 0.25f, block);
                EncodeBlock(block, coefficients, _chromaDivisors, ref cbDc, ChromaDc, ChromaAc);
                LoadBlock(cr, chromaStride, mcu * 8, 0, 0.25f, block);
                EncodeBlock(block, coefficients, _chromaDivisors, ref crDc, ChromaDc, ChromaAc);
            }
        }

        // Pad the last byte with 1-bits, then end the image.
        if (_bitCount > 0)
            WriteBits((1 << (8 - _bitCount)) - 1, 8 - _bitCount);
        WriteByte(0xFF);
        WriteByte(0xD9);
        FlushOutput();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvertRow(byte[] rgb, int width, Span<float> luma, Span<float> cb, Span<float> cr)
    {
        float y = 0, u = 0, v = 0;
        for (int x = 0, i = 0; x < luma.Length; x++)
        {
            if (x < width)
            {
                byte r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
                i += 3;
                y = YFromR[r] + YFromG[g] + YFromB[b];
                u = CbFromR[r] + CbFromG[g] + CbFromB[b];
                v = CrFromR[r] + CrFromG[g] + CrFromB[b];
            }
            // Past the right edge the last pixel repeats.
            luma[x] = y;
            cb[x >> 1] += u;
            cr[x >> 1] += v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadBlock(float[] plane, int stride, int x, int y, float scale, float[] block)
    {
        for (int row = 0; row < 8; row++)
        {
            int source = (y + row) * stride + x;
            for (int col = 0; col < 8; col++)
                block[row * 8 + col] = plane[source + col] * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EncodeBlock(float[] block, int[] coefficients, float[] divisors, ref int previousDc, HuffmanTable dc, HuffmanTable ac)
    {
        ForwardDct(block);
        ReadOnlySpan<byte> zigZag = JpegTables.ZigZag;
        for (int k = 0; k < 64; k++)
        {
            int n = zigZag[k];
            coefficients[k] = (int)MathF.Round(block[n] * divisors[n]);
        }

        int difference = coefficients[0] - previousDc;
        previousDc = coefficients[0];
        WriteCoded(dc, 0, difference);

        int run = 0;
        for (int k = 1; k < 64; k++)
        {
            int value = coefficients[k];
            if (value == 0)
            {
                run++;
                continue;
            }
            while (run > 15)
            {
                WriteBits(ac.Codes[0xF0], ac.Lengths[0xF0]); // ZRL: sixteen zeros
                run -= 16;
            }
            WriteCoded(ac, run, value);
            run = 0;
        }
        if (run > 0)
            WriteBits(ac.Codes[0x00], ac.Lengths[0x00]); // EOB
    }

    /// <summary>Writes the symbol (run, size category) and then the value's low bits (one's complement if negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteCoded(HuffmanTable table, int run, int value)
    {
        int magnitude = Math.Abs(value);
        int size = magnitude == 0 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)magnitude);
        int symbol = (run << 4) | size;
        WriteBits(table.Codes[symbol], table.Lengths[symbol]);
        if (size > 0)
            WriteBits((value < 0 ? value - 1 : value) & ((1 << size) - 1), size);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteBits(int bits, int length)
    {
        _bitBuffer = (_bitBuffer << length) | (uint)bits;
        _bitCount += length;
        while (_bitCount >= 8)
        {
            _bitCount -= 8;
            byte b = (byte)(_bitBuffer >> _bitCount);
            WriteByte(b);
            if (b == 0xFF)
                WriteByte(0x00); // Byte stuffing: FF in entropy-coded data is followed by 00.
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteByte(byte value)
    {
        if (_outputLength == _output.Length)
            FlushOutput();
        _output[_outputLength++] = value;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            WriteByte(b);
    }

    private void FlushOutput()
    {
        _destination.Write(_output, 0, _outputLength);
        _outputLength = 0;
    }

    private void WriteHeaders(int width, int height)
    {
        WriteBytes([0xFF, 0xD8]); // SOI

        // APP0 JFIF 1.01, no density units (aspect 1:1), no thumbnail.
        WriteSegment(0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

        Span<byte> dqt = stackalloc byte[2 * 65];
        dqt[0] = 0x00;
        dqt[65] = 0x01;
        for (int k = 0; k < 64; k++)
        {
            dqt[1 + k] = _lumaQuantization[JpegTables.ZigZag[k]];
            dqt[66 + k] = _chromaQuantization[JpegTables.ZigZag[k]];
        }
        WriteSegment(0xDB, dqt);

        Span<byte> sof = stackalloc byte[15];
        sof[0] = 8; // sample precision
        BinaryPrimitives.WriteUInt16BigEndian(sof[1..], (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(sof[3..], (ushort)width);
        sof[5] = 3;
        ReadOnlySpan<byte> components = [1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]; // id, sampling HxV, quantisation table
        components.CopyTo(sof[6..]);
        WriteSegment(0xC0, sof);

        WriteHuffmanSegment(0x00, JpegTables.LuminanceDcCounts, JpegTables.LuminanceDcSymbols);
        WriteHuffmanSegment(0x10, JpegTables.LuminanceAcCounts, JpegTables.LuminanceAcSymbols);
        WriteHuffmanSegment(0x01, JpegTables.ChrominanceDcCounts, JpegTables.ChrominanceDcSymbols);
        WriteHuffmanSegment(0x11, JpegTables.ChrominanceAcCounts, JpegTables.ChrominanceAcSymbols);

        // SOS: three components (id, DC table << 4 | AC table), spectral selection 0..63, no approximation.
        WriteSegment(0xDA, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    }

    private void WriteHuffmanSegment(byte classAndId, ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
    {
        Span<byte> payload = stackalloc byte[1 + 16 + symbols.Length];
        payload[0] = classAndId;
        counts.CopyTo(payload[1..]);
        symbols.CopyTo(payload[17..]);
        WriteSegment(0xC4, payload);
    }

    private void WriteSegment(byte marker, ReadOnlySpan<byte> payload)
    {
        WriteByte(0xFF);
        WriteByte(marker);
        int length = payload.Length + 2;
        WriteByte((byte)(length >> 8));
        WriteByte((byte)length);
        WriteBytes(payload);
    }

    private static float[] Weights(float weight, float offset)
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++)
            table[i] = i * weight + offset;
        return table;
    }

    // The AAN DCT leaves coefficient (u, v) scaled by 8 * s(u) * s(v), s(0) = 1, s(k) = sqrt(2) cos(k pi / 16);
    // dividing by that scale and the quantiser in one multiply gives the quantised value.
    private static float[] Divisors(byte[] quantization)
    {
        Span<double> scale = stackalloc double[8];
        scale[0] = 1;
        for (int k = 1; k < 8; k++)
            scale[k] = Math.Sqrt(2) * Math.Cos(k * Math.PI / 16);
        var divisors = new float[64];
        for (int row = 0; row < 8; row++)
        {
            for (int col = 0; col < 8; col++)
                divisors[row * 8 + col] = (float)(1.0 / (quantization[row * 8 + col] * scale[row] * scale[col] * 8));
        }
        return divisors;
    }

    /// <summary>The Arai-Agui-Nakajima forward DCT on an 8x8 block, rows then columns, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardDct(float[] block)
    {
        for (int row = 0; row < 64; row += 8)
            Dct8(block, row, 1);
        for (int col = 0; col < 8; col++)
            Dct8(block, col, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dct8(float[] d, int start, int step)
    {
        int i0 = start, i1 = start + step, i2 = start + 2 * step, i3 = start + 3 * step;
        int i4 = start + 4 * step, i5 = start + 5 * step, i6 = start + 6 * step, i7 = start + 7 * step;

        float tmp0 = d[i0] + d[i7], tmp7 = d[i0] - d[i7];
        float tmp1 = d[i1] + d[i6], tmp6 = d[i1] - d[i6];
        float tmp2 = d[i2] + d[i5], tmp5 = d[i2] - d[i5];
        float tmp3 = d[i3] + d[i4], tmp4 = d[i3] - d[i4];

        // Even part.
        float tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3;
        float tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
        d[i0] = tmp10 + tmp11;
        d[i4] = tmp10 - tmp11;
        float z1 = (tmp12 + tmp13) * 0.707106781f;
        d[i2] = tmp13 + z1;
        d[i6] = tmp13 - z1;

        // Odd part.
        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        float z5 = (tmp10 - tmp12) * 0.382683433f;
        float z2 = 0.541196100f * tmp10 + z5;
        float z4 = 1.306562965f * tmp12 + z5;
        float z3 = tmp11 * 0.707106781f;
        float z11 = tmp7 + z3, z13 = tmp7 - z3;
        d[i5] = z13 + z2;
        d[i3] = z13 - z2;
        d[i1] = z11 + z4;
        d[i7] = z11 - z4;
    }

    /// <summary>Canonical Huffman codes (T.81 Annex C) indexed by symbol.</summary>
    internal sealed class HuffmanTable
    {
        public readonly int[] Codes = new int[256];
        public readonly int[] Lengths = new int[256];

        public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
        {
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                for (int n = 0; n < counts[length - 1]; n++)
                {
                    byte symbol = symbols[k++];
                    Codes[symbol] = code++;
                    Lengths[symbol] = length;
                }
                code <<= 1;
            }
        }
    }
}
