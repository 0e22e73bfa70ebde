namespace Phota.Emulator.Tests.Support;

internal static class ProfileHelper
{
    /// <summary>Adds a fast-tier profile from <paramref name="count"/> served images and returns its id.</summary>
    public static async Task<string> AddAsync(HttpClient client, LoopbackFileServer files, int count = 5, string tier = "fast",
        string? tag = null, int side = 96)
    {
        var urls = new JsonArray();
        for (var i = 0; i < count; i++) urls.Add(files.Add($"train/{Guid.NewGuid():N}.jpg", Api.Jpeg(side, side, i)));
        var body = new JsonObject { ["image_urls"] = urls, ["training_tier"] = tier };
        if (tag is not null) body["tag"] = tag;
        using var response = await client.PostJsonAsync("/v1/phota/profiles/add", body);
        return (string)(await response.OkJsonAsync())["profile_id"]!;
    }

    public static async Task<JsonNode> StatusAsync(HttpClient client, string profileId)
    {
        using var response = await client.GetAsync($"/v1/phota/profiles/{profileId}/status");
        return await response.OkJsonAsync();
    }

    /// <summary>Polls (fast time scale) until the profile leaves training; returns the final status.</summary>
    public static async Task<string> WaitUntilTrainedAsync(HttpClient client, string profileId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var status = (string)(await StatusAsync(client, profileId))["status"]!;
            if (status is "READY" or "ERROR" or "INACTIVE") return status;
            await Task.Delay(20);
        }

        throw new TimeoutException($"Profile {profileId} did not finish training.");
    }

    public static async Task<string> AddReadyAsync(HttpClient client, LoopbackFileServer files, string? tag = null)
    {
        var id = await AddAsync(client, files, tag: tag);
        Assert.Equal("READY", await WaitUntilTrainedAsync(client, id));
        return id;
    }

    public static async Task<JsonNode> PollJobAsync(HttpClient client, string jobId, params string[] until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/v1/phota/jobs/{jobId}");
            var job = await response.OkJsonAsync(HttpStatusCode.OK);
            if (until.Contains((string)job["status"]!)) return job;
            await Task.Delay(10);
        }

        throw new TimeoutException($"Job {jobId} did not reach {string.Join("/", until)}.");
    }
}
