using System.Text.Json;

namespace Phota.Tests;

public class StudioRequestBodyTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(StudioRequestBody.InputChunkSize - 1)]
    [InlineData(StudioRequestBody.InputChunkSize)]
    [InlineData(StudioRequestBody.InputChunkSize + 1)]
    [InlineData(3 * StudioRequestBody.InputChunkSize + 2)]
    public async Task Streamed_body_is_valid_json_with_the_exact_base64_of_the_file(int size)
    {
        using var dir = new TempDir();
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF;
        bytes[^2] = 0xFF; bytes[^1] = 0xD9;
        var path = dir.File("photo.jpg", bytes);
        var url = ImageInput.FromUrl("https://example.com/a b/\"quoted\".jpg");
        var request = new EditRequest { Images = [ImageInput.FromFile(path), url, ImageInput.FromFile(path)], Prompt = "make it \"winter\" \u2603" };

        var scalars = JsonSerializer.SerializeToUtf8Bytes(request.BodyFields(), PhotaJsonContext.Default.StudioBodyFields);
        using var content = StudioRequestBody.Plan(scalars, request.ImageFields())();
        var body = await content.ReadAsByteArrayAsync();

        Assert.Equal(body.Length, content.Headers.ContentLength);
        using var doc = JsonDocument.Parse(body);
        var images = doc.RootElement.GetProperty("images");
        Assert.Equal(3, images.GetArrayLength());
        Assert.Equal(Convert.ToBase64String(bytes), images[0].GetString());
        Assert.Equal(url.Url!.AbsoluteUri, images[1].GetString());
        Assert.Equal(Convert.ToBase64String(bytes), images[2].GetString());
        Assert.Equal("make it \"winter\" \u2603", doc.RootElement.GetProperty("prompt").GetString());
        Assert.Equal("jpg", doc.RootElement.GetProperty("output_format").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("num_output_images").GetInt32());
    }

    [Fact]
    public async Task Single_image_fields_and_snake_case_options()
    {
        var png = TestImages.Png(8, 8);
        var request = new RemixRequest
        {
            InputImage = ImageInput.FromBytes(png, "in"),
            ReferenceImage = ImageInput.FromBase64(Convert.ToBase64String(png)),
            ProfileIds = ["p1"],
            NumOutputImages = 2,
            OutputFormat = OutputFormat.Png,
        };
        var scalars = JsonSerializer.SerializeToUtf8Bytes(request.BodyFields() with { Async = true, ResponseMode = ResponseMode.Urls, ClientRequestId = "abc" }, PhotaJsonContext.Default.StudioBodyFields);
        using var content = StudioRequestBody.Plan(scalars, request.ImageFields())();
        using var doc = JsonDocument.Parse(await content.ReadAsByteArrayAsync());
        var root = doc.RootElement;
        Assert.Equal(Convert.ToBase64String(png), root.GetProperty("input_image").GetString());
        Assert.Equal(Convert.ToBase64String(png), root.GetProperty("reference_image").GetString());
        Assert.True(root.GetProperty("async").GetBoolean());
        Assert.Equal("urls", root.GetProperty("response_mode").GetString());
        Assert.Equal("abc", root.GetProperty("client_request_id").GetString());
        Assert.Equal("png", root.GetProperty("output_format").GetString());
        Assert.Equal("p1", root.GetProperty("profile_ids")[0].GetString());
        Assert.False(root.TryGetProperty("prompt", out _));
        Assert.False(root.TryGetProperty("callback_url", out _));
    }

    [Fact]
    public async Task Each_attempt_reopens_the_file_and_a_changed_file_is_refused()
    {
        using var dir = new TempDir();
        var path = dir.File("a.png", TestImages.Png(8, 8));
        var request = new EnhanceRequest { Image = ImageInput.FromFile(path) };
        var plan = StudioRequestBody.Plan(JsonSerializer.SerializeToUtf8Bytes(request.BodyFields(), PhotaJsonContext.Default.StudioBodyFields), request.ImageFields());
        using (var first = plan())
        {
            await first.ReadAsByteArrayAsync();
        }

        using (var second = plan())
        {
            await second.ReadAsByteArrayAsync();
        }

        File.AppendAllText(path, "more");
        using var third = plan();
        await Assert.ThrowsAsync<Phota.Errors.PhotaInputException>(() => third.ReadAsByteArrayAsync());
    }
}
