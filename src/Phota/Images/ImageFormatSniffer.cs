using System.Buffers.Binary;
using System.Text;
using Phota.Models;

namespace Phota.Images;

/// <summary>Tells image formats apart by their bytes, never by file extension.</summary>
public static class ImageFormatSniffer
{
    /// <summary>Bytes needed to recognise any supported format.</summary>
    public const int HeaderLength = 16;

    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"];

    public static ImageFormat? Detect(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (header.Length >= 8 && header[..8].SequenceEqual(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(header[8..12]);
            if (HeifBrands.Contains(brand, StringComparer.Ordinal))
            {
                return ImageFormat.Heif;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="header"/> starts like a file of the requested output format.</summary>
    public static bool Matches(ReadOnlySpan<byte> header, OutputFormat format)
        => format == OutputFormat.Png ? Detect(header) == ImageFormat.Png
            : format == OutputFormat.Jpg ? Detect(header) == ImageFormat.Jpeg
            : Detect(header) is not null;

    /// <summary>
    /// Checks the end of a file for the format's end marker, to catch files cut short by an interrupted copy:
    /// JPEG needs an EOI marker (FF D9) near its end, PNG an IEND chunk, WebP its full RIFF length.
    /// </summary>
    internal static string? FindTruncation(ImageFormat format, ReadOnlySpan<byte> header, ReadOnlySpan<byte> tail, long length)
    {
        switch (format)
        {
            case ImageFormat.Jpeg:
                for (var i = tail.Length - 2; i >= 0; i--)
                {
                    if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
                    {
                        return null;
                    }
                }

                return "the JPEG has no end marker, so it looks truncated";
            case ImageFormat.Png:
                return tail.IndexOf("IEND"u8) >= 0 ? null : "the PNG has no IEND chunk, so it looks truncated";
            case ImageFormat.WebP:
                var riffLength = BinaryPrimitives.ReadUInt32LittleEndian(header[4..8]) + 8L;
                return riffLength <= length ? null : "the WebP is shorter than its header says, so it looks truncated";
            default:
                return null;
        }
    }

    /// <summary>A short description of what unrecognised content looks like, for error messages.</summary>
    internal static string DescribeUnknown(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 12 && header[4..8].SequenceEqual("ftyp"u8))
        {
            return $"an ISO media file of brand '{Encoding.ASCII.GetString(header[8..12])}'";
        }

        if (header.Length >= 2 && header[0] == (byte)'G' && header[1] == (byte)'I')
        {
            return "a GIF or other unsupported image";
        }

        var printable = 0;
        foreach (var b in header)
        {
            if (b is >= 0x20 and < 0x7F or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                printable++;
            }
        }

        return header.Length > 0 && printable == header.Length ? "text" : "an unrecognised format";
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
}
