namespace Phota.Emulator.Tests;

/// <summary>Profiles: state machine from timestamps, ERROR rules, INACTIVE, list, picture, delete.</summary>
public sealed class ProfileTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private RunningEmulator _emulator = null!;
    private LoopbackFileServer _files = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await RunningEmulator.StartAsync(new EmulatorOptions { TimeProvider = _clock });
        _files = await LoopbackFileServer.StartAsync();
        _client = Api.Client(_emulator);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _files.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private async Task<string> StatusAsync(string id) => (string)(await ProfileHelper.StatusAsync(_client, id))["status"]!;

    [Theory]
    [InlineData("fast", 10, 180)]
    [InlineData("fast", 5, 90)]
    [InlineData("standard", 50, 480)]
    [InlineData("standard", 10, 240)]
    public async Task Training_moves_through_its_phases_in_the_documented_time(string tier, int images, int seconds)
    {
        var id = await ProfileHelper.AddAsync(_client, _files, images, tier);
        var total = TimeSpan.FromSeconds(seconds);
        Assert.Equal("VALIDATING", await StatusAsync(id));
        _clock.Advance(total * 0.07);
        Assert.Equal("QUEUING", await StatusAsync(id));
        _clock.Advance(total * 0.5);
        Assert.Equal("IN_PROGRESS", await StatusAsync(id));
        _clock.Advance(total * 0.43 - TimeSpan.FromMilliseconds(10));
        Assert.Equal("IN_PROGRESS", await StatusAsync(id));
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        var ready = await ProfileHelper.StatusAsync(_client, id);
        Assert.Equal("READY", (string)ready["status"]!);
        Assert.Equal(id, (string)ready["profile_id"]!);
        Assert.NotNull(ready["message"]);
    }

    [Fact]
    public async Task Images_without_a_subject_end_validation_with_error_and_a_message()
    {
        var urls = new JsonArray();
        for (var i = 0; i < 5; i++) urls.Add(_files.Add($"mixed{i}.png", Api.Png(i < 3 ? 40 : 200, 200, i))); // 3 of 5 too small
        var id = (string)(await (await _client.PostJsonAsync("/v1/phota/profiles/add",
            new JsonObject { ["image_urls"] = urls, ["training_tier"] = "fast" })).OkJsonAsync())["profile_id"]!;
        Assert.Equal("VALIDATING", await StatusAsync(id));
        _clock.Advance(TimeSpan.FromSeconds(10));
        var status = await ProfileHelper.StatusAsync(_client, id);
        Assert.Equal("ERROR", (string)status["status"]!);
        Assert.Contains("No subject", (string)status["message"]!);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("ERROR", await StatusAsync(id));
    }

    [Fact]
    public async Task Two_small_images_of_five_still_train()
    {
        var urls = new JsonArray();
        for (var i = 0; i < 5; i++) urls.Add(_files.Add($"ok{i}.png", Api.Png(i < 2 ? 40 : 200, 200, i)));
        var id = (string)(await (await _client.PostJsonAsync("/v1/phota/profiles/add",
            new JsonObject { ["image_urls"] = urls, ["training_tier"] = "fast" })).OkJsonAsync())["profile_id"]!;
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("READY", await StatusAsync(id));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not-an-image")]
    [InlineData("remote")]
    [InlineData("base64")]
    public async Task Unusable_training_images_end_validation_with_error(string problem)
    {
        var urls = new JsonArray();
        for (var i = 0; i < 4; i++) urls.Add(_files.Add($"{problem}{i}.jpg", Api.Jpeg(100, 100, i)));
        urls.Add(problem switch
        {
            "missing" => new Uri(_files.BaseAddress, "nothing.jpg").ToString(),
            "not-an-image" => _files.Add("text.jpg", "hello"u8.ToArray()),
            "remote" => "https://example.com/photo.jpg",
            _ => Api.PngBase64(),
        });
        var id = (string)(await (await _client.PostJsonAsync("/v1/phota/profiles/add",
            new JsonObject { ["image_urls"] = urls, ["training_tier"] = "fast" })).OkJsonAsync())["profile_id"]!;
        _clock.Advance(TimeSpan.FromSeconds(10));
        var status = await ProfileHelper.StatusAsync(_client, id);
        Assert.Equal("ERROR", (string)status["status"]!);
        Assert.Contains("image_urls[4]", (string)status["message"]!);
    }

    [Fact]
    public async Task An_unused_ready_profile_becomes_inactive_after_90_days_and_use_keeps_it_active()
    {
        var idle = await ProfileHelper.AddAsync(_client, _files);
        var used = await ProfileHelper.AddAsync(_client, _files);
        _clock.Advance(TimeSpan.FromMinutes(5));
        _clock.Advance(TimeSpan.FromDays(80));
        await (await _client.PostJsonAsync("/v1/phota/generate", new JsonObject
        {
            ["prompt"] = $"[[{used}]]", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png",
        })).OkJsonAsync(HttpStatusCode.Accepted);
        _clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal("INACTIVE", await StatusAsync(idle));
        Assert.Equal("READY", await StatusAsync(used));
        await (await _client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = $"[[{idle}]]", ["output_format"] = "png" }))
            .AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_READY");
    }

    [Fact]
    public async Task List_returns_status_and_tag_and_filters_by_tag()
    {
        var a = await ProfileHelper.AddAsync(_client, _files, tag: "user_a");
        var b = await ProfileHelper.AddAsync(_client, _files, tag: "user_b");
        var untagged = await ProfileHelper.AddAsync(_client, _files);

        var all = (await (await _client.GetAsync("/v1/phota/profiles/ids")).OkJsonAsync())["profiles"]!.AsArray();
        Assert.Equal([a, b, untagged], all.Select(p => (string)p!["profile_id"]!));
        Assert.All(all, p => Assert.Equal("VALIDATING", (string)p!["status"]!));
        Assert.Null(all[2]!["tag"]);

        var filtered = (await (await _client.GetAsync("/v1/phota/profiles/ids?tag=user_b")).OkJsonAsync())["profiles"]!.AsArray();
        var only = Assert.Single(filtered)!;
        Assert.Equal(b, (string)only["profile_id"]!);
        Assert.Equal("user_b", (string)only["tag"]!);
        Assert.Empty((await (await _client.GetAsync("/v1/phota/profiles/ids?tag=nobody")).OkJsonAsync())["profiles"]!.AsArray());
    }

    [Fact]
    public async Task Picture_is_a_jpeg_once_trained()
    {
        var id = await ProfileHelper.AddAsync(_client, _files);
        await (await _client.GetAsync($"/v1/phota/profiles/{id}/profile_picture")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_READY");
        await (await _client.GetAsync("/v1/phota/profiles/prof_none/profile_picture")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        _clock.Advance(TimeSpan.FromMinutes(3));
        using var response = await _client.GetAsync($"/v1/phota/profiles/{id}/profile_picture");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ImageFormatKind.Jpeg, Api.Probe(await response.Content.ReadAsByteArrayAsync()).Format);
    }

    [Fact]
    public async Task Deleted_profiles_are_gone_everywhere()
    {
        var id = await ProfileHelper.AddAsync(_client, _files);
        _clock.Advance(TimeSpan.FromMinutes(3));
        var deleted = await (await _client.DeleteAsync($"/v1/phota/profiles/{id}")).OkJsonAsync();
        Assert.Equal(id, (string)deleted["profile_id"]!);
        Assert.Equal("ok", (string)deleted["status"]!);

        await (await _client.GetAsync($"/v1/phota/profiles/{id}/status")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        await (await _client.DeleteAsync($"/v1/phota/profiles/{id}")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        await (await _client.PostJsonAsync("/v1/phota/enhance", new JsonObject
        {
            ["image"] = Api.PngBase64(), ["profile_ids"] = new JsonArray(id), ["output_format"] = "png",
        })).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        Assert.Empty((await (await _client.GetAsync("/v1/phota/profiles/ids")).OkJsonAsync())["profiles"]!.AsArray());
    }
}
