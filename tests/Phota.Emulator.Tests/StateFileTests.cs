namespace Phota.Emulator.Tests;

/// <summary>A restarted emulator with the same --state-file continues where the previous one stopped.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("phota-emulator-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Accounts_profiles_jobs_idempotency_secrets_and_links_survive_a_restart()
    {
        var path = Path.Combine(_directory, "state.json");
        const string key = "restart-test-key-7f3a";
        EmulatorOptions Options() => EmulatorFixture.FastOptions(o =>
        {
            o.StateFile = path;
            o.ApiKeys.Add(key);
        });
        await using var files = await LoopbackFileServer.StartAsync();

        string profileId, jobId, secret, link;
        decimal balance;
        await using (var first = await RunningEmulator.StartAsync(Options()))
        {
            using var client = Api.Client(first);
            profileId = await ProfileHelper.AddReadyAsync(client, files, tag: "persisted");
            jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject
            {
                ["prompt"] = $"[[{profileId}]]", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png", ["client_request_id"] = "keep-me",
            })).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
            link = (string)(await ProfileHelper.PollJobAsync(client, jobId, "succeeded"))["result"]!["download_urls"]![0]!;
            secret = (string)(await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;
            balance = first.State.BalanceOf(key);
            Assert.Equal(100m - 1.49m - 0.15m, balance);
        }

        var saved = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain(key, saved);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));

        await using var second = await RunningEmulator.StartAsync(Options());
        using var again = Api.Client(second);
        Assert.Equal(balance, second.State.BalanceOf(key));
        Assert.Equal(balance, (decimal)(await again.AccountAsync())["balance_usd"]!);
        Assert.Equal("READY", (string)(await ProfileHelper.StatusAsync(again, profileId))["status"]!);
        var listed = Assert.Single((await (await again.GetAsync("/v1/phota/profiles/ids?tag=persisted")).OkJsonAsync())["profiles"]!.AsArray())!;
        Assert.Equal(profileId, (string)listed["profile_id"]!);
        Assert.Equal("succeeded", (string)(await (await again.GetAsync($"/v1/phota/jobs/{jobId}")).OkJsonAsync())["status"]!);
        Assert.Equal(secret, (string)(await (await again.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!);

        var replay = await (await again.PostJsonAsync("/v1/phota/generate", new JsonObject
        {
            ["prompt"] = "anything", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png", ["client_request_id"] = "keep-me",
        })).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(jobId, (string)replay["job_id"]!);
        Assert.Equal(balance, second.State.BalanceOf(key));

        // Links were signed by the previous process: the link secret was kept (the port changed, the path did not).
        var moved = new Uri(second.BaseAddress, new Uri(link).PathAndQuery);
        using var plain = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(moved)).StatusCode);
    }

    [Fact]
    public async Task An_accepted_async_job_is_in_the_state_file_before_the_answer()
    {
        var path = Path.Combine(_directory, "state.json");
        await using var emulator = await RunningEmulator.StartAsync(EmulatorFixture.FastOptions(o => o.StateFile = path));
        using var client = Api.Client(emulator);
        for (var i = 0; i < 5; i++)
        {
            var jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject
            {
                ["prompt"] = $"saved first {i}", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png", ["client_request_id"] = $"durable-{i}",
            })).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;

            // Read at once, well inside the periodic save interval: the job must already be on disk.
            Assert.Contains(jobId, await File.ReadAllTextAsync(path));
        }
    }

    [Fact]
    public async Task A_job_running_when_the_emulator_stops_finishes_after_the_restart()
    {
        var path = Path.Combine(_directory, "running.json");
        var clock = new ManualTimeProvider();
        EmulatorOptions Options() => new() { StateFile = path, TimeProvider = clock, FaultJobFailRate = 1 };

        string jobId;
        await using (var first = await RunningEmulator.StartAsync(Options()))
        {
            using var client = Api.Client(first);
            jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject
            {
                ["prompt"] = "x", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png",
            })).OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
            Assert.Equal(99.88m, first.State.BalanceOf(EmulatorOptions.DefaultApiKey));
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        await using var second = await RunningEmulator.StartAsync(Options());
        using var again = Api.Client(second);
        Assert.Equal("failed", (string)(await (await again.GetAsync($"/v1/phota/jobs/{jobId}")).OkJsonAsync())["status"]!);
        Assert.Equal(100m, second.State.BalanceOf(EmulatorOptions.DefaultApiKey));
    }

    [Fact]
    public async Task A_corrupt_state_file_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_directory, "corrupt.json");
        await File.WriteAllTextAsync(path, "{ not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => RunningEmulator.StartAsync(new EmulatorOptions { StateFile = path }));
        Assert.Contains(path, error.Message);
    }
}
