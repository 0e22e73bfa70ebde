namespace Phota.Emulator.Tests;

/// <summary>Async jobs: handle, lifecycle from timestamps, results, expiry, idempotency, injected failures.</summary>
public sealed class JobTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    private static JsonObject AsyncGenerate(string? clientRequestId = null, int outputs = 1)
    {
        var body = new JsonObject
        {
            ["prompt"] = "a lake", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "jpg", ["num_output_images"] = outputs,
        };
        if (clientRequestId is not null) body["client_request_id"] = clientRequestId;
        return body;
    }

    private static async Task<(RunningEmulator Emulator, ManualTimeProvider Clock)> StartWithManualClockAsync(Action<EmulatorOptions>? configure = null)
    {
        var clock = new ManualTimeProvider();
        var options = new EmulatorOptions { TimeProvider = clock };
        configure?.Invoke(options);
        return (await RunningEmulator.StartAsync(options), clock);
    }

    private static async Task<JsonNode> GetJobAsync(HttpClient client, string jobId) =>
        await (await client.GetAsync($"/v1/phota/jobs/{jobId}")).OkJsonAsync();

    [Fact]
    public async Task With_job_retry_after_a_running_job_says_when_to_look_again_and_a_finished_one_does_not()
    {
        var (emulator, clock) = await StartWithManualClockAsync(o => o.JobRetryAfterHint = true);
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var handle = await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate(outputs: 1))).OkJsonAsync(HttpStatusCode.Accepted);
        var jobId = (string)handle["job_id"]!;

        // Default run time for one output: 3 s. After 1.25 s, 1.75 s are left.
        clock.Advance(TimeSpan.FromMilliseconds(1250));
        using (var running = await client.GetAsync($"/v1/phota/jobs/{jobId}"))
        {
            Assert.Equal(HttpStatusCode.OK, running.StatusCode);
            Assert.Equal("1750", running.Headers.GetValues("retry-after-ms").Single());
            Assert.Equal(TimeSpan.FromSeconds(2), running.Headers.RetryAfter?.Delta);
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        using var done = await client.GetAsync($"/v1/phota/jobs/{jobId}");
        Assert.Equal("succeeded", (string)(await done.OkJsonAsync())["status"]!);
        Assert.False(done.Headers.Contains("retry-after-ms"));
        Assert.Null(done.Headers.RetryAfter);
    }

    private static async Task<List<double>> RunTimesAsync(int seed, int jobs)
    {
        var (emulator, clock) = await StartWithManualClockAsync(o =>
        {
            o.JobMilliseconds = 1000;
            o.JobMillisecondsMax = 4000;
            o.Seed = seed;
        });
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var ids = new List<string>();
        for (var i = 0; i < jobs; i++)
            ids.Add((string)(await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate())).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!);
        clock.Advance(TimeSpan.FromSeconds(5));
        var times = new List<double>();
        foreach (var id in ids)
        {
            var status = await GetJobAsync(client, id);
            Assert.Equal("succeeded", (string)status["status"]!);
            times.Add((DateTimeOffset.Parse((string)status["completed_at"]!, System.Globalization.CultureInfo.InvariantCulture)
                       - DateTimeOffset.Parse((string)status["created_at"]!, System.Globalization.CultureInfo.InvariantCulture)).TotalMilliseconds);
        }

        return times;
    }

    [Fact]
    public async Task A_job_time_range_draws_each_job_s_time_within_it_repeatably_for_a_seed()
    {
        var first = await RunTimesAsync(seed: 42, jobs: 12);
        var again = await RunTimesAsync(seed: 42, jobs: 12);
        var other = await RunTimesAsync(seed: 43, jobs: 12);

        Assert.All(first, t => Assert.InRange(t, 1000, 4000));
        Assert.True(first.Max() - first.Min() > 500, $"Twelve draws from 1000-4000 ms should spread out; got {string.Join(", ", first)}.");
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Async_submit_returns_a_handle_and_the_job_moves_pending_running_succeeded()
    {
        var (emulator, clock) = await StartWithManualClockAsync();
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var start = clock.GetUtcNow();

        var handle = await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate(outputs: 2))).OkJsonAsync(HttpStatusCode.Accepted);
        var jobId = (string)handle["job_id"]!;
        Assert.Equal("pending", (string)handle["status"]!);
        Assert.Equal($"/v1/phota/jobs/{jobId}", (string)handle["poll_url"]!);

        // Default run time: 2 s + 1 s per output image = 4 s; the first 10 % pending.
        var pending = await (await client.GetAsync((string)handle["poll_url"]!)).OkJsonAsync();
        Assert.Equal("pending", (string)pending["status"]!);
        Assert.Equal("generate", (string)pending["operation"]!);
        Assert.Null(pending["result"]);
        Assert.Null(pending["error"]);
        Assert.Null(pending["completed_at"]);
        Assert.Equal(start, DateTimeOffset.Parse((string)pending["created_at"]!));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("running", (string)(await GetJobAsync(client, jobId))["status"]!);

        clock.Advance(TimeSpan.FromSeconds(3));
        var done = await GetJobAsync(client, jobId);
        Assert.Equal("succeeded", (string)done["status"]!);
        Assert.Equal(start + TimeSpan.FromSeconds(4), DateTimeOffset.Parse((string)done["completed_at"]!));
        var result = done["result"]!;
        Assert.Empty(result["images"]!.AsArray());
        var urls = result["download_urls"]!.AsArray();
        Assert.Equal(2, urls.Count);
        using var plain = new HttpClient();
        var image = await plain.GetByteArrayAsync((string)urls[0]!);
        Assert.Equal(new Phota.Emulator.Imaging.ImageInfo(Phota.Emulator.Imaging.ImageFormatKind.Jpeg, 1024, 1024), Api.Probe(image));
    }

    [Fact]
    public async Task Job_ms_fixes_the_run_time()
    {
        var (emulator, clock) = await StartWithManualClockAsync(o => o.JobMilliseconds = 10_000);
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate(outputs: 4))).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal("running", (string)(await GetJobAsync(client, jobId))["status"]!);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("succeeded", (string)(await GetJobAsync(client, jobId))["status"]!);
    }

    [Fact]
    public async Task Result_expires_after_24_hours_with_410()
    {
        var (emulator, clock) = await StartWithManualClockAsync();
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate())).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
        clock.Advance(TimeSpan.FromHours(23));
        var done = await GetJobAsync(client, jobId);
        Assert.Equal("succeeded", (string)done["status"]!);
        var link = (string)done["result"]!["download_urls"]![0]!;

        clock.Advance(TimeSpan.FromHours(1.01));
        var body = await (await client.GetAsync($"/v1/phota/jobs/{jobId}")).AssertErrorAsync(HttpStatusCode.Gone, "NOT_FOUND");
        Assert.Contains(jobId, (string)body["detail"]!);
        using var plain = new HttpClient();
        using var download = await plain.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, download.StatusCode);
    }

    [Fact]
    public async Task Unknown_job_is_404_not_found()
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        await (await client.GetAsync("/v1/phota/jobs/job_doesnotexist")).AssertErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Resubmitting_with_the_same_client_request_id_returns_the_original_job_and_charges_nothing()
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        var first = await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate("order-1", outputs: 3))).OkJsonAsync(HttpStatusCode.Accepted);
        var again = await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate("order-1", outputs: 3))).OkJsonAsync(HttpStatusCode.Accepted);
        var other = await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate("order-2"))).OkJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal((string)first["job_id"]!, (string)again["job_id"]!);
        Assert.NotEqual((string)first["job_id"]!, (string)other["job_id"]!);
        Assert.Equal(100m - 0.36m - 0.12m, State.BalanceOf(key));
        var account = State.GetAccount(key);
        Assert.Equal(3, account.Submits);
        Assert.Equal(2, account.Jobs);

        // Once finished, a replay still returns the same job.
        await ProfileHelper.PollJobAsync(client, (string)first["job_id"]!, "succeeded");
        var late = await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate("order-1", outputs: 3))).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal((string)first["job_id"]!, (string)late["job_id"]!);
        Assert.Equal(2, State.ChargesOf(key).Count);
    }

    [Fact]
    public async Task A_sync_replay_returns_the_same_images_without_a_charge()
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        var body = new JsonObject { ["prompt"] = "x", ["client_request_id"] = "sync-1", ["output_format"] = "png" };
        var first = await (await client.PostJsonAsync("/v1/phota/generate", body)).OkJsonAsync();
        var second = await (await client.PostJsonAsync("/v1/phota/generate", body.DeepClone())).OkJsonAsync();
        Assert.Equal((string)first["images"]![0]!, (string)second["images"]![0]!);
        Assert.Single(State.ChargesOf(key));
    }

    [Fact]
    public async Task Concurrent_identical_submits_create_one_job_and_one_charge()
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
            (string)(await (await client.PostJsonAsync("/v1/phota/edit", new JsonObject
            {
                ["images"] = new JsonArray(Api.PngBase64()), ["async"] = true, ["response_mode"] = "urls",
                ["output_format"] = "png", ["client_request_id"] = "same",
            })).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!));
        Assert.Single(responses.Distinct());
        Assert.Single(State.ChargesOf(key));
        Assert.Equal(99.88m, State.BalanceOf(key));
        Assert.Equal(24, State.GetAccount(key).Submits);
    }

    [Fact]
    public async Task Injected_instance_died_fails_a_running_job()
    {
        var (emulator, clock) = await StartWithManualClockAsync(o => o.FaultJobFailRate = 1);
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate())).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("running", (string)(await GetJobAsync(client, jobId))["status"]!);
        clock.Advance(TimeSpan.FromSeconds(5));
        var failed = await GetJobAsync(client, jobId);
        Assert.Equal("failed", (string)failed["status"]!);
        Assert.Equal("instance_died", (string)failed["error"]!["code"]!);
        Assert.False(string.IsNullOrEmpty((string)failed["error"]!["message"]!));
        Assert.Null(failed["result"]);
        Assert.NotNull(failed["completed_at"]);
    }

    [Fact]
    public async Task Injected_dispatch_failed_never_runs()
    {
        var (emulator, clock) = await StartWithManualClockAsync(o =>
        {
            o.FaultJobFailRate = 1;
            o.FaultJobFailCode = "dispatch_failed";
        });
        await using var _ = emulator;
        using var client = Api.Client(emulator);
        var jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", AsyncGenerate())).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("pending", (string)(await GetJobAsync(client, jobId))["status"]!);
        clock.Advance(TimeSpan.FromSeconds(2));
        var failed = await GetJobAsync(client, jobId);
        Assert.Equal("dispatch_failed", (string)failed["error"]!["code"]!);
    }

    [Fact]
    public async Task Sync_requests_are_never_failed_by_the_job_fault()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.FaultJobFailRate = 1);
        using var client = Api.Client(emulator);
        await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["output_format"] = "png" })).OkJsonAsync();
    }
}
