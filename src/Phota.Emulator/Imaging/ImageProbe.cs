using System.Buffers.Binary;
using SkiaSharp;

namespace Phota.Emulator.Imaging;

/// <summary>
/// Recognises JPEG, PNG, WebP and HEIC/HEIF by their signatures and reads their pixel dimensions from the
/// header: Skia's codec reads JPEG, PNG and WebP headers; HEIF, which Skia cannot read on every system, is read
/// from its <c>ispe</c> property. Never throws on truncated or malformed data.
/// </summary>
/// <remarks>
/// The format is decided by the signature alone. When the signature matches but the dimensions cannot be
/// read (the data ends before the header does, Skia refuses the header, a HEIF file has no
/// <c>ispe</c> property), the result is that format with Width and Height 0: callers treat 0x0 as
/// "not decodable". Data that matches no signature is <see cref="ImageFormatKind.Unknown"/> with 0x0.
/// </remarks>
public static class ImageProbe
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageInfo Probe(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
            return ProbeWithSkia(data, ImageFormatKind.Jpeg, SKEncodedImageFormat.Jpeg);
        if (data.StartsWith(PngSignature))
            return ProbeWithSkia(data, ImageFormatKind.Png, SKEncodedImageFormat.Png);
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
            return ProbeWithSkia(data, ImageFormatKind.WebP, SKEncodedImageFormat.Webp);
        if (IsHeif(data, out int ftypSize))
            return ProbeHeif(data, ftypSize);
        return default;
    }

    private static ImageInfo ProbeWithSkia(ReadOnlySpan<byte> data, ImageFormatKind format, SKEncodedImageFormat encoded)
    {
        using SKData copy = SKData.CreateCopy(data);
        using SKCodec? codec = SKCodec.Create(copy);
        return codec is not null && codec.EncodedFormat == encoded && codec.Info.Width > 0 && codec.Info.Height > 0
            ? new ImageInfo(format, codec.Info.Width, codec.Info.Height)
            : new ImageInfo(format, 0, 0);
    }

    // HEIF brands: HEVC-coded images and sequences, and the generic image/sequence structural brands.
    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    // AVIF shares the HEIF container and lists mif1 too; it is a different format the API does not take.
    private static readonly string[] AvifBrands = ["avif", "avis"];

    private static bool IsHeif(ReadOnlySpan<byte> data, out int ftypSize)
    {
        ftypSize = 0;
        if (data.Length < 16 || !data.Slice(4, 4).SequenceEqual("ftyp"u8))
            return false;
        uint size = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (size < 16)
            return false;
        // Major brand at 8, minor version at 12, compatible brands from 16 to the end of the box.
        int end = (int)Math.Min(size, (uint)data.Length);
        bool heif = false;
        for (int i = 8; i + 4 <= end; i += i == 8 ? 8 : 4)
        {
            ReadOnlySpan<byte> brand = data.Slice(i, 4);
            if (IsAnyBrand(brand, AvifBrands))
                return false;
            heif |= IsAnyBrand(brand, HeifBrands);
        }
        ftypSize = (int)Math.Min(size, int.MaxValue);
        return heif;
    }

    private static bool IsAnyBrand(ReadOnlySpan<byte> brand, string[] brands)
    {
        foreach (string candidate in brands)
        {
            if (brand[0] == candidate[0] && brand[1] == candidate[1] && brand[2] == candidate[2] && brand[3] == candidate[3])
                return true;
        }
        return false;
    }

    private static ImageInfo ProbeHeif(ReadOnlySpan<byte> data, int ftypSize)
    {
        int width = 0, height = 0;
        if (ftypSize < data.Length
            && FindBox(data[ftypSize..], "meta"u8, out ReadOnlySpan<byte> meta)
            && meta.Length >= 4
            && FindBox(meta[4..], "iprp"u8, out ReadOnlySpan<byte> iprp) // meta is a full box: skip version and flags.
            && FindBox(iprp, "ipco"u8, out ReadOnlySpan<byte> ipco))
        {
            // Grid images and thumbnails each carry an ispe; the primary image is the largest of them.
            ReadOnlySpan<byte> rest = ipco;
            while (NextBox(ref rest, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> body))
            {
                if (!type.SequenceEqual("ispe"u8) || body.Length < 12)
                    continue;
                uint w = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                uint h = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
                if (w is > 0 and <= int.MaxValue && h is > 0 and <= int.MaxValue && (long)w * h > (long)width * height)
                {
                    width = (int)w;
                    height = (int)h;
                }
            }
        }
        return new ImageInfo(ImageFormatKind.Heic, width, height);
    }

    private static bool FindBox(ReadOnlySpan<byte> boxes, ReadOnlySpan<byte> wanted, out ReadOnlySpan<byte> body)
    {
        while (NextBox(ref boxes, out ReadOnlySpan<byte> type, out body))
        {
            if (type.SequenceEqual(wanted))
                return true;
        }
        body = default;
        return false;
    }

    /// <summary>Reads one ISO-BMFF box from the front of <paramref name="boxes"/>; its body is cut to the data present.</summary>
    private static bool NextBox(scoped ref ReadOnlySpan<byte> boxes, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> body)
    {
        type = default;
        body = default;
        if (boxes.Length < 8)
            return false;
        ulong size = BinaryPrimitives.ReadUInt32BigEndian(boxes);
        int header = 8;
        if (size == 1)
        {
            if (boxes.Length < 16)
                return false;
            size = BinaryPrimitives.ReadUInt64BigEndian(boxes[8..]);
            header = 16;
        }
        else if (size == 0)
        {
            size = (ulong)boxes.Length; // Extends to the end of the enclosing data.
        }
        if (size < (ulong)header)
            return false;
        type = boxes.Slice(4, 4);
        int end = (int)Math.Min(size, (ulong)boxes.Length);
        body = boxes[header..end];
        boxes = boxes[end..];
        return true;
    }
}
