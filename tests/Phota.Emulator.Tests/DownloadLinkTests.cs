namespace Phota.Emulator.Tests;

/// <summary>Signed download links: tampering is 403, expiry 410.</summary>
public sealed class DownloadLinkTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Theory]
    [InlineData("w=1024", "w=2048")]
    [InlineData("/0.png", "/1.png")]
    [InlineData("/0.png", "/0.jpg")]
    [InlineData("token=", "token=x")]
    [InlineData("job_", "job_0")]
    public async Task A_tampered_link_is_403(string from, string to)
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        var url = (string)(await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject
        {
            ["prompt"] = "x", ["response_mode"] = "urls", ["output_format"] = "png",
        })).OkJsonAsync())["download_urls"]![0]!;
        using var plain = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(url)).StatusCode);

        var tampered = url.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(url, tampered);
        using var response = await plain.GetAsync(tampered);
        await response.AssertErrorAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_link_expires_after_24_hours()
    {
        var clock = new ManualTimeProvider();
        await using var emulator = await RunningEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock, JobMilliseconds = 1 });
        using var client = Api.Client(emulator);
        var url = (string)(await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject
        {
            ["prompt"] = "x", ["response_mode"] = "urls", ["output_format"] = "jpg",
        })).OkJsonAsync())["download_urls"]![0]!;
        using var plain = new HttpClient();
        clock.Advance(TimeSpan.FromHours(23.9));
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(url)).StatusCode);
        clock.Advance(TimeSpan.FromHours(0.2));
        await (await plain.GetAsync(url)).AssertErrorAsync(HttpStatusCode.Gone);
    }
}
