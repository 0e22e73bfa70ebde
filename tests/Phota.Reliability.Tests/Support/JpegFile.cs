using System.Buffers.Binary;

namespace Phota.Reliability.Tests.Support;

/// <summary>
/// Structural checks of a saved JPEG: it starts with SOI, its marker segments are well formed up to a frame header
/// and the start of scan, and it ends with EOI. A file cut short anywhere fails at least one of these.
/// </summary>
internal static class JpegFile
{
    /// <summary>Null when the file is a whole JPEG; otherwise what is wrong with it.</summary>
    public static string? Problem(byte[] data, out int width, out int height)
    {
        width = height = 0;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return "no SOI marker";
        }

        if (data[^2] != 0xFF || data[^1] != 0xD9)
        {
            return "no EOI marker at the end (truncated)";
        }

        var position = 2;
        while (position + 4 <= data.Length)
        {
            if (data[position] != 0xFF)
            {
                return $"no marker at offset {position}";
            }

            var marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position + 2));
            if (length < 2 || position + 2 + length > data.Length)
            {
                return $"segment 0x{marker:X2} at offset {position} runs past the end";
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                height = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position + 5));
                width = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(position + 7));
            }

            if (marker == 0xDA)
            {
                return width > 0 && height > 0 ? null : "a scan without a frame header";
            }

            position += 2 + length;
        }

        return "no start of scan";
    }
}
