namespace Phota.Emulator.Tests;

/// <summary>Outputs of edit, generate, enhance and remix: real images, sizes, formats, modes, known subjects.</summary>
public sealed class StudioTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    public static TheoryData<string, string, int, int, int, int> Sizes => new()
    {
        // operation, extra fields, input width, input height, expected width, expected height
        { "edit", """ "resolution":"1K","aspect_ratio":"16:9" """, 300, 300, 1024, 576 },
        { "edit", """ "resolution":"2K","aspect_ratio":"9:16" """, 300, 300, 1152, 2048 },
        { "edit", """ "resolution":"1K","aspect_ratio":"3:4" """, 300, 300, 768, 1024 },
        { "edit", """ "resolution":"1K","aspect_ratio":"4:3" """, 300, 300, 1024, 768 },
        { "edit", """ "resolution":"2K","aspect_ratio":"auto" """, 300, 200, 2048, 1365 },
        { "edit", """ "resolution":"1K" """, 200, 400, 512, 1024 },
        { "generate", """ "resolution":"2K" """, 0, 0, 2048, 2048 },
        { "generate", """ "resolution":"1K","aspect_ratio":"16:9" """, 0, 0, 1024, 576 },
        { "enhance", "", 800, 600, 1024, 768 },
        { "enhance", "", 3000, 1500, 3000, 1500 },
        { "remix", """ "resolution":"1K" """, 400, 300, 2048, 1536 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Output_size_follows_resolution_and_aspect_ratio(string operation, string extra, int inW, int inH, int width, int height)
    {
        var input = inW > 0 ? Api.PngBase64(inW, inH) : null;
        var fields = operation switch
        {
            "edit" => $"\"images\":[\"{input}\"]",
            "enhance" => $"\"image\":\"{input}\"",
            "remix" => $"\"input_image\":\"{input}\",\"reference_image\":\"{Api.PngBase64(50, 90)}\"",
            _ => "\"prompt\":\"a lake\"",
        };
        var body = "{" + fields + (extra.Trim().Length > 0 ? "," + extra : "") + ",\"output_format\":\"jpg\"}";
        using var client = Api.Client(fixture);
        using var response = await client.PostRawAsync($"/v1/phota/{operation}", body);
        var json = await response.OkJsonAsync();
        var bytes = Convert.FromBase64String((string)json["images"]![0]!);
        Assert.Equal(new ImageInfo(ImageFormatKind.Jpeg, width, height), Api.Probe(bytes));
    }

    [Theory]
    [InlineData("png", ImageFormatKind.Png)]
    [InlineData("jpg", ImageFormatKind.Jpeg)]
    public async Task Bytes_mode_returns_decodable_images_in_the_requested_format(string format, ImageFormatKind kind)
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostJsonAsync("/v1/phota/generate",
            new JsonObject { ["prompt"] = "a lake", ["num_output_images"] = 3, ["output_format"] = format });
        var json = await response.OkJsonAsync();
        var images = json["images"]!.AsArray();
        Assert.Equal(3, images.Count);
        Assert.Empty(json["download_urls"]!.AsArray());
        Assert.Empty(json["known_subjects"]!["counts"]!.AsObject());
        var decoded = images.Select(i => Convert.FromBase64String((string)i!)).ToList();
        Assert.All(decoded, b => Assert.Equal(new ImageInfo(kind, 1024, 1024), Api.Probe(b)));
        Assert.Equal(3, decoded.Select(Convert.ToBase64String).Distinct().Count());
        Assert.False(response.Headers.Contains("X-Phota-Deprecation-Date"));
    }

    [Fact]
    public async Task Urls_mode_returns_signed_links_served_by_the_emulator()
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostJsonAsync("/v1/phota/edit", new JsonObject
        {
            ["images"] = new JsonArray(Api.PngBase64(120, 90)),
            ["num_output_images"] = 2,
            ["response_mode"] = "urls",
            ["output_format"] = "png",
        });
        var json = await response.OkJsonAsync();
        Assert.Empty(json["images"]!.AsArray());
        var urls = json["download_urls"]!.AsArray().Select(u => (string)u!).ToList();
        Assert.Equal(2, urls.Count);
        foreach (var url in urls)
        {
            Assert.StartsWith(fixture.BaseAddress.GetLeftPart(UriPartial.Authority), url);
            using var plain = new HttpClient();
            using var download = await plain.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal(new ImageInfo(ImageFormatKind.Png, 1024, 768), Api.Probe(await download.Content.ReadAsByteArrayAsync()));
        }
    }

    [Fact]
    public async Task Omitted_output_format_gets_the_deprecation_header_and_png()
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "a lake" });
        var json = await response.OkJsonAsync();
        Assert.Equal("2026-05-08", Assert.Single(response.Headers.GetValues("X-Phota-Deprecation-Date")));
        Assert.Equal(ImageFormatKind.Png, Api.Probe(Convert.FromBase64String((string)json["images"]![0]!)).Format);
    }

    [Fact]
    public async Task Known_subjects_count_recognised_profiles_times_outputs()
    {
        await using var files = await LoopbackFileServer.StartAsync();
        using var client = Api.Client(fixture);
        var first = await ProfileHelper.AddReadyAsync(client, files);
        var second = await ProfileHelper.AddReadyAsync(client, files);

        using var edit = await client.PostJsonAsync("/v1/phota/edit", new JsonObject
        {
            ["prompt"] = $"Make [[{second}]] smile",
            ["images"] = new JsonArray(Api.PngBase64()),
            ["profile_ids"] = new JsonArray(first),
            ["num_output_images"] = 3,
            ["output_format"] = "jpg",
            ["response_mode"] = "urls",
        });
        var counts = (await edit.OkJsonAsync())["known_subjects"]!["counts"]!.AsObject();
        Assert.Equal(2, counts.Count);
        Assert.Equal(3, (int)counts[first]!);
        Assert.Equal(3, (int)counts[second]!);

        using var generate = await client.PostJsonAsync("/v1/phota/generate", new JsonObject
        {
            ["prompt"] = $"[[{first}]] and [[{first}]] on a beach",
            ["num_output_images"] = 2,
            ["output_format"] = "jpg",
            ["response_mode"] = "urls",
        });
        var generated = (await generate.OkJsonAsync())["known_subjects"]!["counts"]!.AsObject();
        Assert.Equal(2, (int)Assert.Single(generated).Value!);
    }

    [Fact]
    public async Task Missing_and_untrained_profiles_are_404_with_their_codes()
    {
        await using var files = await LoopbackFileServer.StartAsync();
        await using var slow = await RunningEmulator.StartAsync(new EmulatorOptions { TimeScale = 1 });
        using var client = Api.Client(slow);
        var training = await ProfileHelper.AddAsync(client, files);

        using var notReady = await client.PostJsonAsync("/v1/phota/enhance",
            new JsonObject { ["image"] = Api.PngBase64(), ["profile_ids"] = new JsonArray(training), ["output_format"] = "png" });
        var body = await notReady.AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_READY");
        Assert.Contains(training, (string)body["detail"]!);

        using var missing = await client.PostJsonAsync("/v1/phota/remix", new JsonObject
        {
            ["input_image"] = Api.PngBase64(), ["reference_image"] = Api.PngBase64(), ["profile_ids"] = new JsonArray("prof_nope"), ["output_format"] = "png",
        });
        await missing.AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");

        using var inPrompt = await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "[[prof_nope]] waves", ["output_format"] = "png" });
        await inPrompt.AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        Assert.Single(slow.State.ChargesOf(slow.ApiKeys[0])); // only the profile itself
    }

    [Fact]
    public async Task Same_job_renders_the_same_bytes_when_downloaded_twice()
    {
        using var client = Api.Client(fixture);
        using var response = await client.PostJsonAsync("/v1/phota/generate",
            new JsonObject { ["prompt"] = "x", ["response_mode"] = "urls", ["output_format"] = "jpg" });
        var url = (string)(await response.OkJsonAsync())["download_urls"]![0]!;
        using var plain = new HttpClient();
        Assert.Equal(await plain.GetByteArrayAsync(url), await plain.GetByteArrayAsync(url));
    }
}
