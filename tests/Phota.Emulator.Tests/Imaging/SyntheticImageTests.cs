using Phota.Emulator.Imaging;

namespace Phota.Emulator.Tests.Imaging;

public class SyntheticImageTests
{
    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1 }, { 7, 3 }, { 16, 16 }, { 17, 33 }, { 600, 800 }, { 800, 600 }, { 1023, 577 }, { 577, 1023 }, { 2048, 64 }, { 1, 300 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_rendered_jpeg_probes_as_a_jpeg_of_that_size(int width, int height)
    {
        byte[] jpeg = Render(width, height, ImageFormatKind.Jpeg, seed: width ^ height);

        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, width, height), ImageProbe.Probe(jpeg));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_rendered_png_probes_as_a_png_of_that_size(int width, int height)
    {
        byte[] png = Render(width, height, ImageFormatKind.Png, seed: width ^ height);

        Assert.Equal(new ImageInfo(ImageFormatKind.Png, width, height), ImageProbe.Probe(png));
    }

    [Theory]
    [InlineData(ImageFormatKind.Jpeg)]
    [InlineData(ImageFormatKind.Png)]
    public void The_same_seed_and_size_give_the_same_bytes_and_another_seed_another_picture(ImageFormatKind format)
    {
        byte[] first = Render(320, 240, format, seed: 42);
        byte[] again = Render(320, 240, format, seed: 42);
        byte[] other = Render(320, 240, format, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Scenes_are_smooth_pictures_rather_than_noise()
    {
        // Neighbouring pixels differ little almost everywhere; that is what keeps 4K PNGs small.
        var scene = new SyntheticScene(400, 300, seed: 5);
        var row = new byte[400 * 3];
        long steps = 0, smallSteps = 0;
        for (int y = 0; y < 300; y++)
        {
            scene.RenderRow(y, row);
            for (int i = 3; i < row.Length; i++, steps++)
            {
                if (Math.Abs(row[i] - row[i - 3]) <= 4)
                    smallSteps++;
            }
        }
        Assert.True(smallSteps > steps * 0.97, $"{smallSteps} of {steps} horizontal steps are small");

        byte[] png = Render(400, 300, ImageFormatKind.Png, seed: 5);
        Assert.True(png.Length < 400 * 300 * 3 / 4, $"a 400x300 PNG took {png.Length} bytes");
    }

    [Fact]
    public void Portrait_images_show_a_figure_in_the_middle()
    {
        // The head-and-shoulders figure is one flat colour, so the bottom-centre pixel matches a pixel in the head.
        var scene = new SyntheticScene(300, 400, seed: 9);
        var head = new byte[300 * 3];
        var shoulders = new byte[300 * 3];
        scene.RenderRow((int)(400 * 0.59), head);
        scene.RenderRow(399, shoulders);

        int centre = 150 * 3;
        for (int c = 0; c < 3; c++)
            Assert.InRange(head[centre + c] - shoulders[centre + c], -12, 12);
        Assert.NotEqual(head.AsSpan(0, 3).ToArray(), head.AsSpan(centre, 3).ToArray());
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 10)]
    [InlineData(65536, 10)]
    [InlineData(10, 65536)]
    public void Sizes_outside_1_to_65535_are_refused(int width, int height)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticImage.Render(new MemoryStream(), width, height, ImageFormatKind.Jpeg, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticImage.Render(new MemoryStream(), width, height, ImageFormatKind.Png, 1));
    }

    [Theory]
    [InlineData(ImageFormatKind.Unknown)]
    [InlineData(ImageFormatKind.WebP)]
    [InlineData(ImageFormatKind.Heic)]
    public void Only_jpeg_and_png_are_rendered(ImageFormatKind format)
    {
        var destination = new MemoryStream();
        Assert.Throws<ArgumentException>(() => SyntheticImage.Render(destination, 10, 10, format, 1));
        Assert.Equal(0, destination.Length);
    }

    [Theory]
    [InlineData(ImageFormatKind.Jpeg)]
    [InlineData(ImageFormatKind.Png)]
    public void A_4k_image_is_streamed_with_little_memory(ImageFormatKind format)
    {
        var destination = new CountingStream();
        long before = GC.GetAllocatedBytesForCurrentThread();

        SyntheticImage.Render(destination, 4096, 4096, format, seed: 3);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 * 1024 * 1024, $"rendering allocated {allocated} bytes");
        Assert.True(destination.Length > 100_000, $"only {destination.Length} bytes were written");
        Assert.True(destination.LargestWrite <= 128 * 1024, $"one write carried {destination.LargestWrite} bytes");
    }

    [Theory]
    [InlineData(ImageFormatKind.Jpeg)]
    [InlineData(ImageFormatKind.Png)]
    public void Output_reaches_the_destination_before_the_last_rows_are_drawn(ImageFormatKind format)
    {
        // Wide enough that the encoders' 64 KiB output buffers fill well before the end.
        const int width = 4096, height = 2048;
        var scene = new SyntheticScene(width, height, seed: 8);
        int rowsDrawn = 0;
        var destination = new CountingStream();
        int rowsDrawnAtFirstImageDataWrite = -1;
        destination.Written += total =>
        {
            if (rowsDrawnAtFirstImageDataWrite < 0 && total > 4096)
                rowsDrawnAtFirstImageDataWrite = rowsDrawn;
        };
        RgbRowSource rows = (y, rgb) =>
        {
            rowsDrawn++;
            scene.RenderRow(y, rgb);
        };

        if (format == ImageFormatKind.Jpeg)
            JpegEncoder.Encode(destination, width, height, rows);
        else
            PngEncoder.Encode(destination, width, height, rows);

        Assert.Equal(height, rowsDrawn);
        Assert.InRange(rowsDrawnAtFirstImageDataWrite, 1, height / 2);
    }

    internal static byte[] Render(int width, int height, ImageFormatKind format, int seed)
    {
        var stream = new MemoryStream();
        SyntheticImage.Render(stream, width, height, format, seed);
        return stream.ToArray();
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public event Action<long>? Written;

        public long LargestWrite { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            Written?.Invoke(_length);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
