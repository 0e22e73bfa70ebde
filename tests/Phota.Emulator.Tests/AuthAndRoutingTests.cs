namespace Phota.Emulator.Tests;

public sealed class AuthAndRoutingTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    public static TheoryData<string, string> Operations => new()
    {
        { "POST", "/v1/phota/edit" },
        { "POST", "/v1/phota/generate" },
        { "POST", "/v1/phota/enhance" },
        { "POST", "/v1/phota/remix" },
        { "GET", "/v1/phota/jobs/job_123" },
        { "GET", "/v1/phota/webhook-secret" },
        { "GET", "/v1/phota/profiles/ids" },
        { "GET", "/v1/phota/profiles/prof_1/status" },
        { "GET", "/v1/phota/profiles/prof_1/profile_picture" },
        { "POST", "/v1/phota/profiles/add" },
        { "DELETE", "/v1/phota/profiles/prof_1" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Missing_key_is_403_for_every_operation(string method, string path)
    {
        using var client = Api.Client(fixture, apiKey: null);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method) });
        await response.AssertErrorAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Unknown_key_is_401_for_every_operation(string method, string path)
    {
        using var client = Api.Client(fixture, apiKey: "not-a-key");
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method) });
        await response.AssertErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Empty_key_counts_as_missing()
    {
        using var client = Api.Client(fixture, apiKey: null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", "  ");
        using var response = await client.GetAsync("/v1/phota/profiles/ids");
        await response.AssertErrorAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/v1/phota/nothing-here")]
    [InlineData("/v1/jobs/job_1")]
    [InlineData("/favicon.ico")]
    [InlineData("/")]
    public async Task Unknown_route_is_404_not_found_json(string path)
    {
        using var client = Api.Client(fixture);
        using var response = await client.GetAsync(path);
        await response.AssertErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Wrong_method_on_a_known_path_is_405_json()
    {
        // Like FastAPI; the document describes no 405, so the response is not schema-checked.
        using var client = Api.UncheckedClient(fixture.Emulator);
        using var response = await client.GetAsync("/v1/phota/edit");
        await response.AssertErrorAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Every_response_has_a_distinct_request_id()
    {
        using var client = Api.Client(fixture);
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/v1/phota/profiles/ids");
            await response.OkJsonAsync();
            Assert.StartsWith("req_", Assert.Single(response.Headers.GetValues("X-Request-Id")));
            ids.Add(response.Headers.GetValues("X-Request-Id").Single());
        }

        Assert.Equal(5, ids.Count);
    }

    [Fact]
    public async Task A_key_sees_only_its_own_profiles_jobs_and_secret()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.ApiKeys.AddRange(["key-a", "key-b"]));
        using var a = Api.Client(emulator, "key-a");
        using var b = Api.Client(emulator, "key-b");
        await using var files = await LoopbackFileServer.StartAsync();
        var urls = Enumerable.Range(0, 5).Select(i => files.Add($"p{i}.png", Api.Png(80, 80, i))).ToArray();

        var profileId = (string)(await (await a.PostJsonAsync("/v1/phota/profiles/add",
            new JsonObject { ["image_urls"] = new JsonArray(urls.Select(u => (JsonNode)u).ToArray()), ["training_tier"] = "fast" })).OkJsonAsync())["profile_id"]!;
        var jobId = (string)(await (await a.PostJsonAsync("/v1/phota/generate",
            new JsonObject { ["prompt"] = "a lake", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png" })).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;

        await (await b.GetAsync($"/v1/phota/profiles/{profileId}/status")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        await (await b.DeleteAsync($"/v1/phota/profiles/{profileId}")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        await (await b.GetAsync($"/v1/phota/jobs/{jobId}")).AssertErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Empty((await (await b.GetAsync("/v1/phota/profiles/ids")).OkJsonAsync())["profiles"]!.AsArray());
        await (await b.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = $"[[{profileId}]] at sea", ["output_format"] = "png" }))
            .AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");

        var secretA = (string)(await (await a.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;
        var secretB = (string)(await (await b.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;
        Assert.NotEqual(secretA, secretB);
        Assert.Single(emulator.State.ProfilesOf("key-a"));
        Assert.Empty(emulator.State.ProfilesOf("key-b"));
    }

    private static HttpContent? Body(string method) =>
        method == "GET" || method == "DELETE" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
}
