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
        // Pixel buffers are pooled: the second render of seed 42 draws over the picture of seed 43.
        byte[] first = Render(320, 240, format, seed: 42);
        byte[] other = Render(320, 240, format, seed: 43);
        byte[] again = Render(320, 240, format, seed: 42);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Scenes_are_smooth_pictures_rather_than_noise()
    {
        // Neighbouring pixels differ little almost everywhere; that is what keeps 4K PNGs small.
        const int width = 400, height = 300;
        byte[] rgb = ImageMagickCrossCheckTests.SceneRgb(width, height, seed: 5);
        long steps = 0, smallSteps = 0;
        for (int y = 0; y < height; y++)
        {
            for (int i = y * width * 3 + 3; i < (y + 1) * width * 3; i++, steps++)
            {
                if (Math.Abs(rgb[i] - rgb[i - 3]) <= 4)
                    smallSteps++;
            }
        }
        Assert.True(smallSteps > steps * 0.97, $"{smallSteps} of {steps} horizontal steps are small");

        byte[] png = Render(width, height, ImageFormatKind.Png, seed: 5);
        Assert.True(png.Length < width * height * 3 / 4, $"a 400x300 PNG took {png.Length} bytes");
    }

    [Fact]
    public void Portrait_images_show_a_figure_in_the_middle()
    {
        // The head-and-shoulders figure is one flat colour, so the bottom-centre pixel matches a pixel in the head.
        const int width = 300, height = 400;
        byte[] rgb = ImageMagickCrossCheckTests.SceneRgb(width, height, seed: 9);
        int head = ((int)(height * 0.59) * width + width / 2) * 3;
        int headRowEdge = (int)(height * 0.59) * width * 3;
        int shoulders = ((height - 1) * width + width / 2) * 3;

        Assert.Equal(rgb.AsSpan(head, 3).ToArray(), rgb.AsSpan(shoulders, 3).ToArray());
        Assert.NotEqual(rgb.AsSpan(headRowEdge, 3).ToArray(), rgb.AsSpan(head, 3).ToArray());
        byte[] landscape = ImageMagickCrossCheckTests.SceneRgb(height, width, seed: 9);
        int landscapeCentre = ((width / 2) * height + height / 2) * 3;
        Assert.NotEqual(rgb.AsSpan(head, 3).ToArray(), landscape.AsSpan(landscapeCentre, 3).ToArray());
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 10)]
    [InlineData(8193, 10)]
    [InlineData(10, 8193)]
    public void Sizes_outside_1_to_8192_are_refused(int width, int height)
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

    internal static byte[] Render(int width, int height, ImageFormatKind format, int seed)
    {
        var stream = new MemoryStream();
        SyntheticImage.Render(stream, width, height, format, seed);
        return stream.ToArray();
    }
}
