using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Phota.Emulator.Imaging;

/// <summary>
/// Streams an 8-bit RGB PNG: signature, IHDR, IDAT chunks of at most 64 KiB as the compressor produces them,
/// IEND. Each row uses the Sub filter, which turns smooth gradients into runs of small values that deflate well.
/// </summary>
internal static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private const byte FilterSub = 1;
    private const int BytesPerPixel = 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Encode(Stream destination, int width, int height, RgbRowSource rows)
    {
        destination.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour (RGB)
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive (per-row filter byte)
        header[12] = 0; // no interlace
        WriteChunk(destination, "IHDR"u8, header);

        using (var idat = new IdatChunkStream(destination))
        {
            using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            {
                int stride = width * BytesPerPixel;
                var row = new byte[stride];
                var filtered = new byte[1 + stride];
                filtered[0] = FilterSub;
                for (int y = 0; y < height; y++)
                {
                    rows(y, row);
                    row.AsSpan(0, BytesPerPixel).CopyTo(filtered.AsSpan(1));
                    for (int i = BytesPerPixel; i < stride; i++)
                        filtered[1 + i] = (byte)(row[i] - row[i - BytesPerPixel]);
                    zlib.Write(filtered);
                }
            }
        }

        WriteChunk(destination, "IEND"u8, []);
    }

    private static void WriteChunk(Stream destination, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(prefix, data.Length);
        type.CopyTo(prefix[4..]);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Append(Crc32.Compute(type), data));
        destination.Write(prefix);
        destination.Write(data);
        destination.Write(crc);
    }

    /// <summary>Collects compressed bytes and writes them to the destination as IDAT chunks.</summary>
    private sealed class IdatChunkStream(Stream destination) : Stream
    {
        private const int ChunkCapacity = 64 * 1024;
        private readonly byte[] _chunk = new byte[8 + ChunkCapacity + 4];
        private int _length;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                int take = Math.Min(buffer.Length, ChunkCapacity - _length);
                buffer[..take].CopyTo(_chunk.AsSpan(8 + _length));
                _length += take;
                buffer = buffer[take..];
                if (_length == ChunkCapacity)
                    EmitChunk();
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        // Flush is a no-op so the compressor's own flushes do not produce tiny chunks; Dispose emits the rest.
        public override void Flush()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _length > 0)
                EmitChunk();
            base.Dispose(disposing);
        }

        private void EmitChunk()
        {
            Span<byte> chunk = _chunk.AsSpan(0, 8 + _length + 4);
            BinaryPrimitives.WriteInt32BigEndian(chunk, _length);
            "IDAT"u8.CopyTo(chunk[4..]);
            BinaryPrimitives.WriteUInt32BigEndian(chunk[(8 + _length)..], Crc32.Compute(chunk[4..(8 + _length)]));
            destination.Write(chunk);
            _length = 0;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
