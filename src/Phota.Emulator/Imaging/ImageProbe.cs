using System.Buffers.Binary;

namespace Phota.Emulator.Imaging;

/// <summary>
/// Recognises JPEG, PNG, WebP and HEIC/HEIF by their signatures and reads their pixel dimensions from the
/// header, without decoding. Never throws on truncated or malformed data.
/// </summary>
/// <remarks>
/// The format is decided by the signature alone. When the signature matches but the dimensions cannot be
/// read (the data ends early, a JPEG reaches its scan or end without a frame header, a HEIF file has no
/// <c>ispe</c> property), the result is that format with Width and Height 0: callers treat 0x0 as
/// "not decodable". Data that matches no signature is <see cref="ImageFormatKind.Unknown"/> with 0x0.
/// </remarks>
public static class ImageProbe
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageInfo Probe(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
            return ProbeJpeg(data);
        if (data.StartsWith(PngSignature))
            return ProbePng(data);
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
            return ProbeWebP(data);
        if (IsHeif(data, out int ftypSize))
            return ProbeHeif(data, ftypSize);
        return default;
    }

    private static ImageInfo ProbeJpeg(ReadOnlySpan<byte> data)
    {
        var notReadable = new ImageInfo(ImageFormatKind.Jpeg, 0, 0);
        int i = 2;
        while (i < data.Length)
        {
            if (data[i] != 0xFF)
                return notReadable; // Segments must start with a marker; anything else is corrupt.
            while (i < data.Length && data[i] == 0xFF)
                i++; // Fill bytes may precede a marker.
            if (i >= data.Length)
                return notReadable;
            byte marker = data[i++];
            if (marker == 0x01 || marker == 0xD8 || marker is >= 0xD0 and <= 0xD7)
                continue; // Standalone markers carry no length.
            if (marker is 0xDA or 0xD9 or 0x00)
                return notReadable; // Scan or end reached before any frame header.
            if (i + 2 > data.Length)
                return notReadable;
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            if (length < 2)
                return notReadable;
            if (IsStartOfFrame(marker))
            {
                if (i + 7 > data.Length)
                    return notReadable;
                int height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 3)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                // A height of 0 defers to a DNL marker; treat it as unreadable rather than chase it.
                return width == 0 || height == 0 ? notReadable : new ImageInfo(ImageFormatKind.Jpeg, width, height);
            }
            i += length;
        }
        return notReadable;
    }

    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static ImageInfo ProbePng(ReadOnlySpan<byte> data)
    {
        // The first chunk must be IHDR: length 13, then width and height as big-endian 31-bit values.
        if (data.Length < 24 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
            return new ImageInfo(ImageFormatKind.Png, 0, 0);
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            return new ImageInfo(ImageFormatKind.Png, 0, 0);
        return new ImageInfo(ImageFormatKind.Png, (int)width, (int)height);
    }

    private static ImageInfo ProbeWebP(ReadOnlySpan<byte> data)
    {
        var notReadable = new ImageInfo(ImageFormatKind.WebP, 0, 0);
        if (data.Length < 20)
            return notReadable;
        ReadOnlySpan<byte> chunk = data.Slice(12, 4);
        ReadOnlySpan<byte> payload = data[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (2 scale bits each).
            if (payload.Length < 10 || payload[3] != 0x9D || payload[4] != 0x01 || payload[5] != 0x2A)
                return notReadable;
            int width = BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]) & 0x3FFF;
            int height = BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]) & 0x3FFF;
            return width == 0 || height == 0 ? notReadable : new ImageInfo(ImageFormatKind.WebP, width, height);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: signature byte 0x2F, then width-1 and height-1 as two 14-bit fields.
            if (payload.Length < 5 || payload[0] != 0x2F)
                return notReadable;
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            return new ImageInfo(ImageFormatKind.WebP, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Extended: 4 bytes of flags, then canvas width-1 and height-1 as 24-bit values.
            if (payload.Length < 10)
                return notReadable;
            int width = ReadUInt24LittleEndian(payload[4..]) + 1;
            int height = ReadUInt24LittleEndian(payload[7..]) + 1;
            return new ImageInfo(ImageFormatKind.WebP, width, height);
        }
        return notReadable;
    }

    private static int ReadUInt24LittleEndian(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);

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
