namespace Phota.Tests;

public class ImageInputTests
{
    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("heic")]
    [InlineData("mif1")]
    public void Sniffs_supported_formats_by_bytes_not_extension(string kind)
    {
        using var dir = new TempDir();
        var (bytes, expected) = kind switch
        {
            "jpeg" => (TestImages.JpegLike(), ImageFormat.Jpeg),
            "png" => (TestImages.Png(8, 8), ImageFormat.Png),
            "webp" => (TestImages.WebPLike(), ImageFormat.WebP),
            _ => (TestImages.HeicLike(kind), ImageFormat.Heif),
        };
        // A misleading extension: detection must not care.
        var path = dir.File("photo.txt", bytes);
        var input = ImageInput.Parse(path);
        Assert.Equal(ImageInputKind.File, input.Kind);
        Assert.Equal(expected, input.Format);
        Assert.Equal(bytes.Length, input.Length);
        Assert.Equal("photo", input.Name);
    }

    public static TheoryData<string, byte[]?, string> BadFiles => new()
    {
        { "empty.jpg", [], "empty" },
        { "text.jpg", "hello, this is not an image at all"u8.ToArray(), "content is text" },
        { "truncated.jpg", TestImages.JpegLike(4096)[..2000], "truncated" },
        { "truncated.png", TestImages.Png(32, 32)[..200], "truncated" },
        { "avif.heic", TestImages.HeicLike("avif"), "ISO media file of brand 'avif'" },
        { "missing.jpg", null, "not found" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Refuses_bad_files_naming_the_file(string name, byte[]? content, string expected)
    {
        using var dir = new TempDir();
        var path = content is null ? System.IO.Path.Combine(dir.Path, name) : dir.File(name, content);
        var error = Assert.Throws<PhotaInputException>(() => ImageInput.Parse(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(name, error.Message);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    [Fact]
    public void Refuses_a_directory_and_a_file_over_the_size_cap()
    {
        using var dir = new TempDir();
        Assert.Contains("directory", Assert.Throws<PhotaInputException>(() => ImageInput.Parse(dir.Path)).Message);

        var big = System.IO.Path.Combine(dir.Path, "big.jpg");
        using (var stream = File.Create(big))
        {
            stream.Write(TestImages.JpegLike(16));
            stream.SetLength(ImageInput.MaxFileBytes + 1);
        }

        var error = Assert.Throws<PhotaInputException>(() => ImageInput.Parse(big));
        Assert.Contains("50 MB", error.Message);
    }

    [Fact]
    public void Unicode_and_space_laden_paths_work()
    {
        using var dir = new TempDir();
        var path = dir.File("fête d'été/ma photo 😀.png", TestImages.Png(8, 8));
        var input = ImageInput.Parse(path);
        Assert.Equal(path, input.Path);
        Assert.Equal("ma photo 😀", input.Name);
    }

    [Theory]
    [InlineData("https://example.com/a/beach.jpg?sig=1", ImageInputKind.Url, "beach")]
    [InlineData("HTTP://example.com/cat%20pic.png", ImageInputKind.Url, "cat pic")]
    [InlineData("https://example.com/", ImageInputKind.Url, "image")]
    [InlineData("https://example.com/..%2F..%2Fetc%2Fpasswd", ImageInputKind.Url, "passwd")]
    public void Detects_urls_and_names_them_by_their_last_segment(string text, ImageInputKind kind, string name)
    {
        var input = ImageInput.Parse(text);
        Assert.Equal(kind, input.Kind);
        Assert.Equal(name, input.Name);
        Assert.Null(input.Format);
    }

    [Theory]
    [InlineData("ftp://example.com/a.jpg", "not supported")]
    [InlineData("https://user:secret@example.com/a.jpg", "credentials")]
    public void Refuses_non_http_urls_and_urls_with_credentials(string text, string expected)
    {
        var error = Assert.Throws<PhotaInputException>(() => ImageInput.Parse(text));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void Detects_base64_text_and_data_uris()
    {
        var png = TestImages.Png(16, 16);
        var base64 = Convert.ToBase64String(png);
        var plain = ImageInput.Parse(base64);
        Assert.Equal(ImageInputKind.Base64, plain.Kind);
        Assert.Equal(ImageFormat.Png, plain.Format);
        Assert.Equal(png.Length, plain.Length);
        Assert.DoesNotContain(base64[..20], plain.Description);

        var dataUri = ImageInput.Parse("data:image/png;base64," + base64);
        Assert.Equal(ImageInputKind.Base64, dataUri.Kind);

        var notImage = Convert.ToBase64String("just some text that is long enough to look like base64"u8.ToArray());
        Assert.Throws<PhotaInputException>(() => ImageInput.FromBase64(notImage));
    }

    [Fact]
    public void A_relative_name_that_is_not_a_file_is_reported_missing_not_taken_as_base64()
    {
        var error = Assert.Throws<PhotaInputException>(() => ImageInput.Parse("holiday.jpg", Path.GetTempPath()));
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Bytes_inputs_are_sniffed()
    {
        Assert.Equal(ImageFormat.Jpeg, ImageInput.FromBytes(TestImages.JpegLike(), "cam").Format);
        Assert.Throws<PhotaInputException>(() => ImageInput.FromBytes(Array.Empty<byte>()));
        Assert.Throws<PhotaInputException>(() => ImageInput.FromBytes(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }));
    }
}
