using Phota.Testing.OpenApi;

namespace Phota.Emulator.Tests;

/// <summary>
/// Drives every operation through each status it can answer and checks all responses against the
/// vendored OpenAPI document with one validating handler: zero violations, every status declared.
/// </summary>
public sealed class ConformanceTests
{
    [Fact]
    public async Task By_default_a_pending_or_running_job_sends_no_retry_after_as_the_documents_define_none()
    {
        var clock = new ManualTimeProvider();
        await using var emulator = await RunningEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock });
        using var client = Api.Client(emulator);
        var handle = await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject
        {
            ["prompt"] = "a lake", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "jpg",
        })).OkJsonAsync(HttpStatusCode.Accepted);
        var jobId = (string)handle["job_id"]!;

        // Default run time for one output: 3 s; pending for the first 10 %, then running.
        foreach (var (advance, state) in new[] { (0, "pending"), (1250, "running"), (1000, "running") })
        {
            clock.Advance(TimeSpan.FromMilliseconds(advance));
            using var answer = await client.GetAsync($"/v1/phota/jobs/{jobId}");
            Assert.Equal(state, (string)(await answer.OkJsonAsync())["status"]!);
            Assert.False(answer.Headers.Contains("retry-after-ms"));
            Assert.Null(answer.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task Every_operation_answers_only_what_the_document_declares()
    {
        var clock = new ManualTimeProvider();
        await using var emulator = await RunningEmulator.StartAsync(new EmulatorOptions
        {
            TimeProvider = clock,
            TimeScale = 0.001,
            ApiKeys = { "rich", "broke" },
            CreditUsd = 7 * 1.49m,
        });
        await using var files = await LoopbackFileServer.StartAsync();
        var validation = new ValidatingHandler();
        var seen = new List<(string Operation, int Status)>();

        HttpClient Client(string? key) => EmulatorFixture.CreateClient(emulator, key, new PassThrough(validation));
        using var rich = Client("rich");
        using var anonymous = Client(null);
        using var wrongKey = Client("nope");

        async Task<JsonNode?> Call(HttpClient client, string operation, HttpMethod method, string path, JsonNode? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            seen.Add((operation, (int)response.StatusCode));
            var text = await response.Content.ReadAsStringAsync();
            return response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null;
        }

        var png = Api.PngBase64();
        var training = new JsonArray(Enumerable.Range(0, 5).Select(i => (JsonNode)files.Add($"c{i}.jpg", Api.Jpeg(90, 90, i))).ToArray());
        var profileId = (string)(await Call(rich, "add", HttpMethod.Post, "/v1/phota/profiles/add", new JsonObject { ["image_urls"] = training.DeepClone(), ["training_tier"] = "fast", ["tag"] = "t" }))!["profile_id"]!;

        // Fast training of 5 images: 90 s at scale 0.001 = 90 ms; VALIDATING, QUEUING, IN_PROGRESS, READY.
        foreach (var step in new[] { 0, 7, 23, 100 })
        {
            clock.Advance(TimeSpan.FromMilliseconds(step));
            await Call(rich, "status", HttpMethod.Get, $"/v1/phota/profiles/{profileId}/status");
            await Call(rich, "ids", HttpMethod.Get, "/v1/phota/profiles/ids");
            await Call(rich, "ids", HttpMethod.Get, "/v1/phota/profiles/ids?tag=t");
        }

        var unready = (string)(await Call(rich, "add", HttpMethod.Post, "/v1/phota/profiles/add", new JsonObject { ["image_urls"] = training.DeepClone(), ["training_tier"] = "fast" }))!["profile_id"]!;
        using var broke = Client("broke");
        for (var i = 0; i < 7; i++)
            await Call(broke, "add", HttpMethod.Post, "/v1/phota/profiles/add", new JsonObject { ["image_urls"] = training.DeepClone(), ["training_tier"] = "fast" });
        Assert.Equal(0m, emulator.State.BalanceOf("broke"));

        var studio = new (string Operation, JsonObject Body)[]
        {
            ("edit", new JsonObject { ["images"] = new JsonArray(png), ["profile_ids"] = new JsonArray(profileId), ["output_format"] = "png" }),
            ("generate", new JsonObject { ["prompt"] = $"[[{profileId}]]", ["output_format"] = "jpg" }),
            ("enhance", new JsonObject { ["image"] = png, ["output_format"] = "png" }),
            ("remix", new JsonObject { ["input_image"] = png, ["reference_image"] = png, ["output_format"] = "png" }),
        };
        var jobIds = new List<string>();
        foreach (var (operation, body) in studio)
        {
            var path = $"/v1/phota/{operation}";
            var bytes = body.DeepClone().AsObject();
            var urls = body.DeepClone().AsObject();
            urls["response_mode"] = "urls";
            var async = urls.DeepClone().AsObject();
            async["async"] = true;
            var badProfile = body.DeepClone().AsObject();
            if (operation == "generate") badProfile["prompt"] = "[[prof_missing]]";
            else badProfile["profile_ids"] = new JsonArray("prof_missing");
            var notReady = body.DeepClone().AsObject();
            if (operation == "generate") notReady["prompt"] = $"[[{unready}]]";
            else notReady["profile_ids"] = new JsonArray(unready);
            var invalid = body.DeepClone().AsObject();
            invalid["num_output_images"] = 9;
            var bad = body.DeepClone().AsObject();
            bad["async"] = true;

            await Call(rich, operation, HttpMethod.Post, path, bytes);
            await Call(rich, operation, HttpMethod.Post, path, urls);
            jobIds.Add((string)(await Call(rich, operation, HttpMethod.Post, path, async))!["job_id"]!);
            await Call(rich, operation, HttpMethod.Post, path, badProfile);
            await Call(rich, operation, HttpMethod.Post, path, notReady);
            await Call(rich, operation, HttpMethod.Post, path, invalid);
            await Call(rich, operation, HttpMethod.Post, path, bad);
            await Call(anonymous, operation, HttpMethod.Post, path, body);
            await Call(wrongKey, operation, HttpMethod.Post, path, body);
            var withoutProfiles = body.DeepClone().AsObject();
            withoutProfiles.Remove("profile_ids");
            if (operation == "generate") withoutProfiles["prompt"] = "a lake";
            await Call(broke, operation, HttpMethod.Post, path, withoutProfiles);
        }

        // Job states (3 ms of run time at this scale): pending, running, succeeded; then expired; unknown.
        await Call(rich, "job", HttpMethod.Get, $"/v1/phota/jobs/{jobIds[^1]}");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Call(rich, "job", HttpMethod.Get, $"/v1/phota/jobs/{jobIds[^1]}");
        clock.Advance(TimeSpan.FromMilliseconds(3));
        foreach (var id in jobIds) await Call(rich, "job", HttpMethod.Get, $"/v1/phota/jobs/{id}");
        await Call(rich, "job", HttpMethod.Get, "/v1/phota/jobs/job_unknown");
        await Call(anonymous, "job", HttpMethod.Get, $"/v1/phota/jobs/{jobIds[0]}");
        await Call(wrongKey, "job", HttpMethod.Get, $"/v1/phota/jobs/{jobIds[0]}");
        clock.Advance(TimeSpan.FromDays(2));
        await Call(rich, "job", HttpMethod.Get, $"/v1/phota/jobs/{jobIds[0]}");

        await Call(rich, "secret", HttpMethod.Get, "/v1/phota/webhook-secret");
        await Call(anonymous, "secret", HttpMethod.Get, "/v1/phota/webhook-secret");
        await Call(wrongKey, "secret", HttpMethod.Get, "/v1/phota/webhook-secret");

        await Call(rich, "picture", HttpMethod.Get, $"/v1/phota/profiles/{profileId}/profile_picture");
        await Call(rich, "picture", HttpMethod.Get, "/v1/phota/profiles/prof_missing/profile_picture");
        await Call(rich, "status", HttpMethod.Get, "/v1/phota/profiles/prof_missing/status");
        await Call(rich, "status", HttpMethod.Get, $"/v1/phota/profiles/{unready}/status");
        await Call(rich, "ids", HttpMethod.Get, "/v1/phota/profiles/ids?tag=");
        await Call(rich, "add", HttpMethod.Post, "/v1/phota/profiles/add", new JsonObject { ["image_urls"] = new JsonArray("x") });
        await Call(rich, "delete", HttpMethod.Delete, $"/v1/phota/profiles/{profileId}");
        await Call(rich, "delete", HttpMethod.Delete, $"/v1/phota/profiles/{profileId}");
        await Call(broke, "add", HttpMethod.Post, "/v1/phota/profiles/add", new JsonObject { ["image_urls"] = training.DeepClone(), ["training_tier"] = "fast" });
        await Call(broke, "ids", HttpMethod.Get, "/v1/phota/profiles/ids");
        await Call(broke, "status", HttpMethod.Get, "/v1/phota/profiles/p/status");
        await Call(broke, "picture", HttpMethod.Get, "/v1/phota/profiles/p/profile_picture");
        await Call(broke, "delete", HttpMethod.Delete, "/v1/phota/profiles/p");

        // 503s, on the operations that declare them.
        await using (var failing = await EmulatorFixture.StartAsync(o => o.Fault503Rate = 1))
        {
            using var client = EmulatorFixture.CreateClient(failing, "", new PassThrough(validation));
            foreach (var (operation, body) in studio) await Call(client, operation, HttpMethod.Post, $"/v1/phota/{operation}", body);
            await Call(client, "job", HttpMethod.Get, "/v1/phota/jobs/job_x");
        }

        validation.AssertNoViolations();
        Assert.Equal(seen.Count, validation.CheckedResponses);

        string Statuses(string op) => string.Join(",", seen.Where(s => s.Operation == op).Select(s => s.Status).Distinct().Order());
        Assert.Equal("200,202,400,401,402,403,404,422,503", Statuses("edit"));
        Assert.Equal("200,202,400,401,402,403,404,422,503", Statuses("generate"));
        Assert.Equal("200,202,400,401,402,403,404,422,503", Statuses("enhance"));
        Assert.Equal("200,202,400,401,402,403,404,422,503", Statuses("remix"));
        Assert.Equal("200,401,403,404,410,503", Statuses("job"));
        Assert.Equal("200,401,403", Statuses("secret"));
        Assert.Equal("200,402,422", Statuses("add"));
        Assert.Equal("200,402,422", Statuses("ids"));
        Assert.Equal("200,402,404", Statuses("status"));
        Assert.Equal("200,402,404", Statuses("picture"));
        Assert.Equal("200,402,404", Statuses("delete"));
    }

    /// <summary>Lets several clients share one validating handler without disposing it.</summary>
    private sealed class PassThrough(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
