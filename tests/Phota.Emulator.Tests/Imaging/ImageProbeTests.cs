using System.Buffers.Binary;
using System.Text;
using ImageMagick;

namespace Phota.Emulator.Tests.Imaging;

public class ImageProbeTests
{
    [Theory]
    [InlineData(33, 17)]
    [InlineData(1023, 577)]
    [InlineData(1, 4096)]
    public void Jpeg_png_and_webp_dimensions_come_from_their_headers(int width, int height)
    {
        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, width, height), ImageProbe.Probe(TestImages.Jpeg(width, height)));
        Assert.Equal(new ImageInfo(ImageFormatKind.Png, width, height), ImageProbe.Probe(TestImages.Png(width, height)));
        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, width, height), ImageProbe.Probe(TestImages.WebP(width, height)));
    }

    [Fact]
    public void Jpeg_dimensions_are_found_after_a_large_metadata_segment_and_in_progressive_files()
    {
        byte[] plain = TestImages.Jpeg(800, 577);
        byte[] withExif = Concat(plain[..2], Segment(0xE1, new byte[60_000]), plain[2..]);
        using var progressive = new MagickImage(plain);
        progressive.Settings.Interlace = Interlace.Jpeg;

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 800, 577), ImageProbe.Probe(withExif));
        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 800, 577), ImageProbe.Probe(progressive.ToByteArray(MagickFormat.Jpeg)));
    }

    [Fact]
    public void Lossless_webp_dimensions_are_read_too()
    {
        using var lossless = new MagickImage(TestImages.Png(1023, 577));
        lossless.Settings.SetDefine(MagickFormat.WebP, "lossless", true);
        byte[] webp = lossless.ToByteArray(MagickFormat.WebP);

        Assert.Equal("VP8L", Encoding.ASCII.GetString(webp, 12, 4));
        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 1023, 577), ImageProbe.Probe(webp));
    }

    [Fact]
    public void A_jpeg_cut_off_before_its_frame_header_is_a_jpeg_without_dimensions()
    {
        byte[] jpeg = Concat([0xFF, 0xD8], Segment(0xE0, new byte[14]), [0xFF, 0xDB, 0x00, 0x43, 1, 2, 3]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, 0, 0), ImageProbe.Probe(jpeg));
    }

    [Fact]
    public void A_png_cut_off_inside_its_header_is_a_png_without_dimensions()
    {
        Assert.Equal(new ImageInfo(ImageFormatKind.Png, 0, 0), ImageProbe.Probe(TestImages.Png(1023, 577).AsSpan(0, 20)));
    }

    [Fact]
    public void A_webp_with_an_unreadable_first_chunk_is_a_webp_without_dimensions()
    {
        byte[] badStartCode = Riff("VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2B, 0x80, 0x02, 0xE0, 0x01]);
        byte[] unknownChunk = Riff("ALPH", new byte[10]);

        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 0, 0), ImageProbe.Probe(badStartCode));
        Assert.Equal(new ImageInfo(ImageFormatKind.WebP, 0, 0), ImageProbe.Probe(unknownChunk));
    }

    [Theory]
    [InlineData(MagickFormat.Gif)]
    [InlineData(MagickFormat.Bmp)]
    [InlineData(MagickFormat.Tiff)]
    [InlineData(MagickFormat.Ico)]
    public void Images_in_formats_the_api_does_not_take_are_unknown(MagickFormat format)
    {
        using var image = new MagickImage(TestImages.Png(64, 48));

        Assert.Equal(default, ImageProbe.Probe(image.ToByteArray(format)));
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
        byte[] ftypOnly = TestImages.Box("ftyp", [.. "heic"u8, 0, 0, 0, 0, .. "mif1"u8]);

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 0, 0), ImageProbe.Probe(ftypOnly));
        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 0, 0), ImageProbe.Probe(Heif("heic", [], TestImages.Box("colr", new byte[8]))));
    }

    [Fact]
    public void Heic_boxes_with_64_bit_sizes_are_followed()
    {
        byte[] ispe = Ispe(1920, 1080);
        byte[] largeIpco = Concat(BigEndian(1), "ipco"u8.ToArray(), BigEndian64(16 + ispe.Length), ispe);
        byte[] meta = TestImages.Box("meta", [0, 0, 0, 0, .. TestImages.Box("hdlr", new byte[25]), .. TestImages.Box("iprp", largeIpco)]);
        byte[] heic = Concat(TestImages.Box("ftyp", [.. "heic"u8, 0, 0, 0, 0, .. "mif1"u8]), meta);

        Assert.Equal(new ImageInfo(ImageFormatKind.Heic, 1920, 1080), ImageProbe.Probe(heic));
    }

    public static TheoryData<string> ValidHeaders => new() { "jpeg", "png", "webp", "heic" };

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
        byte[] hugeMeta = Concat(TestImages.Box("ftyp", [.. "heic"u8, 0, 0, 0, 0]), [0xFF, 0xFF, 0xFF, 0xFF], "meta"u8.ToArray(), new byte[8]);
        byte[] tinyIpco = Concat(TestImages.Box("ftyp", [.. "heic"u8, 0, 0, 0, 0]), TestImages.Box("meta", [0, 0, 0, 0, .. TestImages.Box("iprp", [0, 0, 0, 3, .. "ipco"u8])]));
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
                return TestImages.Jpeg(33, 17);
            case "png":
                expected = new ImageInfo(ImageFormatKind.Png, 33, 17);
                return TestImages.Png(33, 17);
            case "webp":
                expected = new ImageInfo(ImageFormatKind.WebP, 33, 17);
                return TestImages.WebP(33, 17);
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
        byte[] ftyp = TestImages.Box("ftyp", Concat([Encoding.ASCII.GetBytes(majorBrand), [0, 0, 0, 0], .. compatibleBrands.Select(Encoding.ASCII.GetBytes)]));
        byte[] hdlr = TestImages.Box("hdlr", Concat([0, 0, 0, 0], [0, 0, 0, 0], "pict"u8.ToArray(), new byte[13]));
        byte[] ipco = TestImages.Box("ipco", Concat(properties));
        byte[] ipma = TestImages.Box("ipma", [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0x81]);
        byte[] meta = TestImages.Box("meta", Concat([0, 0, 0, 0], hdlr, TestImages.Box("iprp", Concat(ipco, ipma))));
        return Concat(ftyp, meta, TestImages.Box("mdat", [1, 2, 3, 4]));
    }

    private static byte[] Ispe(int width, int height) => TestImages.Box("ispe", Concat([0, 0, 0, 0], BigEndian(width), BigEndian(height)));

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

    private static byte[] LittleEndian32(uint value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24)];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
