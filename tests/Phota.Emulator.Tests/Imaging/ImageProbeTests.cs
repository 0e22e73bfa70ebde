using System.Buffers.Binary;
using System.Text;
using Phota.Emulator.Imaging;

namespace Phota.Emulator.Tests.Imaging;

public class ImageProbeTests
{
    [Fact]
    public void Jpeg_dimensions_come_from_the_frame_header_after_other_segments()
    {
        byte[] jpeg = Concat(
            [0xFF, 0xD8],
            Segment(0xE0, Encoding.ASCII.GetBytes("JFIF\0\u0001\u0001\0\0\u0001\0\u0001\0\0")),
            Segment(0xE1, new byte[300]), // an Exif block whose bytes must be skipped, not scanned
            [0xFF, 0xFF], // fill bytes before the next marker are allowed
            Segment(0xDB, new byte[65]),
            Segment(0xC2, [8, 0x02, 0x41, 0x03, 0x20, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]), // progressive SOF2, 800x577
            [0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34],
            [0xFF, 0xD9]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 800, 577), ImageProbe.Probe(jpeg));
    }

    [Fact]
    public void A_huffman_table_segment_is_not_mistaken_for_a_frame_header()
    {
        // C4 (DHT) sits in the SOFn range; its bytes would read as a 0x0101 by 0x0101 frame.
        byte[] jpeg = Concat([0xFF, 0xD8], Segment(0xC4, [0x00, 1, 1, 1, 1, 1, 1, 1]),
            Segment(0xC0, [8, 0, 10, 0, 20, 1, 1, 0x11, 0]), [0xFF, 0xD9]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 20, 10), ImageProbe.Probe(jpeg));
    }

    [Fact]
    public void A_jpeg_whose_scan_starts_before_any_frame_header_has_no_dimensions()
    {
        byte[] jpeg = Concat([0xFF, 0xD8], Segment(0xE0, new byte[14]), [0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xC0, 0, 11, 8, 0, 9, 0, 9, 1, 1, 0x11, 0]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 0, 0), ImageProbe.Probe(jpeg));
    }

    [Fact]
    public void A_jpeg_cut_off_before_its_frame_header_is_a_jpeg_without_dimensions()
    {
        byte[] jpeg = Concat([0xFF, 0xD8], Segment(0xE0, new byte[14]), [0xFF, 0xDB, 0x00, 0x43, 1, 2, 3]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 0, 0), ImageProbe.Probe(jpeg));
    }

    [Fact]
    public void Png_dimensions_come_from_ihdr()
    {
        byte[] png = Concat([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], BigEndian(13), "IHDR"u8.ToArray(),
            BigEndian(1023), BigEndian(577), [8, 2, 0, 0, 0], [0, 0, 0, 0]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Png, 1023, 577), ImageProbe.Probe(png));
        Assert.Equal(new ImageInfo(ImageFormatKind.Png, 0, 0), ImageProbe.Probe(png.AsSpan(0, 20)));
    }

    [Fact]
    public void Lossy_webp_dimensions_come_from_the_vp8_frame_header()
    {
        // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit sizes whose top two bits are scaling hints.
        byte[] payload = [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, .. LittleEndian16(640 | 0x4000), .. LittleEndian16(480 | 0x8000)];
        byte[] webp = Riff("VP8 ", payload);

        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 640, 480), ImageProbe.Probe(webp));
    }

    [Fact]
    public void Lossless_webp_dimensions_come_from_the_vp8l_header()
    {
        uint bits = (uint)(1023 - 1) | ((uint)(577 - 1) << 14);
        byte[] payload = [0x2F, .. LittleEndian32(bits)];
        byte[] webp = Riff("VP8L", payload);

        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 1023, 577), ImageProbe.Probe(webp));
    }

    [Fact]
    public void Extended_webp_dimensions_come_from_the_vp8x_canvas()
    {
        byte[] payload = [0x10, 0, 0, 0, .. LittleEndian24(4096 - 1), .. LittleEndian24(3072 - 1)];
        byte[] webp = Riff("VP8X", payload);

        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 4096, 3072), ImageProbe.Probe(webp));
    }

    [Fact]
    public void A_webp_with_an_unreadable_first_chunk_is_a_webp_without_dimensions()
    {
        byte[] badStartCode = Riff("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2B, 0x80, 0x02, 0xE0, 0x01]);
        byte[] unknownChunk = Riff("ALPH", new byte[10]);

        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 0, 0), ImageProbe.Probe(badStartCode));
        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 0, 0), ImageProbe.Probe(unknownChunk));
    }

    [Fact]
    public void Heic_dimensions_come_from_the_ispe_property()
    {
        byte[] heic = Heif("heic", ["mif1", "heic"], Ispe(4032, 3024));

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 4032, 3024), ImageProbe.Probe(heic));
    }

    [Fact]
    public void Heic_with_a_grid_and_a_thumbnail_reports_the_largest_ispe()
    {
        byte[] heic = Heif("heic", ["mif1", "heic"], Ispe(512, 512), Ispe(320, 240), Ispe(4032, 3024), Ispe(512, 512));

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 4032, 3024), ImageProbe.Probe(heic));
    }

    [Theory]
    [InlineData("heix")]
    [InlineData("hevc")]
    [InlineData("hevx")]
    [InlineData("heim")]
    [InlineData("heis")]
    [InlineData("mif1")]
    [InlineData("msf1")]
    public void Every_heif_brand_is_recognised_as_major_brand(string brand)
    {
        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 100, 50), ImageProbe.Probe(Heif(brand, [], Ispe(100, 50))));
    }

    [Fact]
    public void A_heif_brand_among_the_compatible_brands_is_enough()
    {
        Assert.Equal(ImageFormatKind.Heic, ImageProbe.Probe(Heif("isom", ["iso8", "heic"], Ispe(10, 10))).Format);
    }

    [Fact]
    public void Avif_and_plain_mp4_are_not_heic()
    {
        Assert.Equal(ImageFormatKind.Unknown, ImageProbe.Probe(Heif("avif", ["mif1", "miaf"], Ispe(10, 10))).Format);
        Assert.Equal(ImageFormatKind.Unknown, ImageProbe.Probe(Heif("isom", ["iso2", "mp41"], Ispe(10, 10))).Format);
    }

    [Fact]
    public void Heic_without_an_ispe_is_a_heic_without_dimensions()
    {
        byte[] ftypOnly = Box("ftyp", [.. "heic"u8, 0, 0, 0, 0, .. "mif1"u8]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 0, 0), ImageProbe.Probe(ftypOnly));
        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 0, 0), ImageProbe.Probe(Heif("heic", [], Box("colr", new byte[8]))));
    }

    [Fact]
    public void Heic_boxes_with_64_bit_sizes_are_followed()
    {
        byte[] ispe = Ispe(1920, 1080);
        byte[] largeIpco = Concat(BigEndian(1), "ipco"u8.ToArray(), BigEndian64(16 + ispe.Length), ispe);
        byte[] meta = Box("meta", [0, 0, 0, 0, .. Box("hdlr", new byte[25]), .. Box("iprp", largeIpco)]);
        byte[] heic = Concat(Box("ftyp", [.. "heic"u8, 0, 0, 0, 0, .. "mif1"u8]), meta);

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 1920, 1080), ImageProbe.Probe(heic));
    }

    public static TheoryData<string> ValidHeaders => new() { "jpeg", "png", "webp-vp8", "webp-vp8l", "webp-vp8x", "heic" };

    [Theory]
    [MemberData(nameof(ValidHeaders))]
    public void Every_prefix_of_a_valid_file_is_either_unknown_or_that_format_without_throwing(string kind)
    {
        byte[] data = Sample(kind, out ImageInfo full);
        Assert.Equal(full, ImageProbe.Probe(data));

        for (int length = 0; length < data.Length; length++)
        {
            ImageInfo info = ImageProbe.Probe(data.AsSpan(0, length));
            bool consistent = info == default
                || (info.Format == full.Format && (info == full || (info.Width == 0 && info.Height == 0)));
            Assert.True(consistent, $"{kind} cut to {length} bytes probed as {info}");
        }
    }

    [Fact]
    public void Garbage_and_near_misses_are_unknown()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            byte[] data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            ImageInfo info = ImageProbe.Probe(data);
            Assert.True(info == default, $"random bytes probed as {info}");
        }

        Assert.Equal(default, ImageProbe.Probe([]));
        Assert.Equal(default, ImageProbe.Probe([0xFF, 0xD8]));
        Assert.Equal(default, ImageProbe.Probe("GIF89a\x01\0\x01\0"u8));
        Assert.Equal(default, ImageProbe.Probe("RIFF\0\0\0\0WAVEfmt "u8));
        Assert.Equal(default, ImageProbe.Probe([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A]));
        Assert.Equal(default, ImageProbe.Probe(Encoding.UTF8.GetBytes("{\"detail\":\"not an image\"}")));
    }

    [Fact]
    public void Hostile_box_and_segment_sizes_do_not_throw()
    {
        // A meta box claiming 4 GiB, an ipco with a size smaller than its header, and a JPEG segment length of 1.
        byte[] hugeMeta = Concat(Box("ftyp", [.. "heic"u8, 0, 0, 0, 0]), [0xFF, 0xFF, 0xFF, 0xFF], "meta"u8.ToArray(), new byte[8]);
        byte[] tinyIpco = Concat(Box("ftyp", [.. "heic"u8, 0, 0, 0, 0]), Box("meta", [0, 0, 0, 0, .. Box("iprp", [0, 0, 0, 3, .. "ipco"u8])]));
        byte[] badSegment = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xC0];

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 0, 0), ImageProbe.Probe(hugeMeta));
        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 0, 0), ImageProbe.Probe(tinyIpco));
        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 0, 0), ImageProbe.Probe(badSegment));
    }

    private static byte[] Sample(string kind, out ImageInfo expected)
    {
        switch (kind)
        {
            case "jpeg":
                expected = new ImageInfo(ImageFormatKind.Jpeg, 33, 17);
                var jpeg = new MemoryStream();
                SyntheticImage.Render(jpeg, 33, 17, ImageFormatKind.Jpeg, 1);
                return jpeg.ToArray();
            case "png":
                expected = new ImageInfo(ImageFormatKind.Png, 33, 17);
                var png = new MemoryStream();
                SyntheticImage.Render(png, 33, 17, ImageFormatKind.Png, 1);
                return png.ToArray();
            case "webp-vp8":
                expected = new ImageInfo(ImageFormatKind.WebP, 640, 480);
                return Riff("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01, 0, 0]);
            case "webp-vp8l":
                expected = new ImageInfo(ImageFormatKind.WebP, 2, 3);
                return Riff("VP8L", [0x2F, .. LittleEndian32(1 | (2 << 14)), 0, 0]);
            case "webp-vp8x":
                expected = new ImageInfo(ImageFormatKind.WebP, 300, 200);
                return Riff("VP8X", [0, 0, 0, 0, .. LittleEndian24(299), .. LittleEndian24(199)]);
            default:
                expected = new ImageInfo(ImageFormatKind.Heic, 4032, 3024);
                return Heif("heic", ["mif1", "heic"], Ispe(4032, 3024));
        }
    }

    private static byte[] Segment(byte marker, byte[] payload) =>
        Concat([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)], payload);

    private static byte[] Riff(string chunk, byte[] payload) =>
        Concat("RIFF"u8.ToArray(), LittleEndian32((uint)(4 + 8 + payload.Length)), "WEBP"u8.ToArray(),
            Encoding.ASCII.GetBytes(chunk), LittleEndian32((uint)payload.Length), payload);

    /// <summary>ftyp, then meta (full box) holding hdlr and iprp/ipco with the given properties.</summary>
    private static byte[] Heif(string majorBrand, string[] compatibleBrands, params byte[][] properties)
    {
        byte[] ftyp = Box("ftyp", Concat([Encoding.ASCII.GetBytes(majorBrand), [0, 0, 0, 0], .. compatibleBrands.Select(Encoding.ASCII.GetBytes)]));
        byte[] hdlr = Box("hdlr", Concat([0, 0, 0, 0], [0, 0, 0, 0], "pict"u8.ToArray(), new byte[13]));
        byte[] ipco = Box("ipco", Concat(properties));
        byte[] ipma = Box("ipma", [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0x81]);
        byte[] meta = Box("meta", Concat([0, 0, 0, 0], hdlr, Box("iprp", Concat(ipco, ipma))));
        return Concat(ftyp, meta, Box("mdat", [1, 2, 3, 4]));
    }

    private static byte[] Ispe(int width, int height) => Box("ispe", Concat([0, 0, 0, 0], BigEndian(width), BigEndian(height)));

    private static byte[] Box(string type, byte[] body) =>
        Concat(BigEndian(8 + body.Length), Encoding.ASCII.GetBytes(type), body);

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] LittleEndian16(int value) => [(byte)value, (byte)(value >> 8)];

    private static byte[] LittleEndian24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];

    private static byte[] LittleEndian32(uint value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24)];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
