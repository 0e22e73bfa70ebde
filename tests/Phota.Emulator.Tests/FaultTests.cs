using System.Diagnostics;

namespace Phota.Emulator.Tests;

/// <summary>Injected faults: 503 bursts and rates with Retry-After, latency, aborted connections.</summary>
public sealed class FaultTests
{
    private static JsonObject Generate(bool async = false) => new()
    {
        ["prompt"] = "x", ["output_format"] = "png", ["response_mode"] = "urls", ["async"] = async,
    };

    [Fact]
    public async Task A_503_burst_hits_the_next_eligible_requests_only()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.Fault503Burst = 2;
            o.FaultRetryAfterSeconds = 7;
        });
        using var client = Api.Client(emulator);
        await (await client.GetAsync("/v1/phota/profiles/ids")).OkJsonAsync(); // not eligible: no 503 declared

        for (var i = 0; i < 2; i++)
        {
            using var refused = await client.PostJsonAsync("/v1/phota/generate", Generate());
            await refused.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
            Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter!.Delta);
        }

        await (await client.PostJsonAsync("/v1/phota/generate", Generate())).OkJsonAsync();
        var charge = Assert.Single(emulator.State.ChargesOf(emulator.ApiKeys[0]));
        Assert.Equal(0.12m, charge.AmountUsd);
    }

    [Fact]
    public async Task Injected_500s_carry_the_documented_body_on_operations_that_declare_500_and_charge_nothing()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.Fault500Rate = 1);
        // Api.Client validates every answer against the OpenAPI document (PhotaError500Response for the 500s).
        using var client = Api.Client(emulator);
        using (var submit = await client.PostJsonAsync("/v1/phota/generate", Generate(async: true)))
            await submit.AssertErrorAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        using (var poll = await client.GetAsync("/v1/phota/jobs/job_x"))
            await poll.AssertErrorAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        using (var ids = await client.GetAsync("/v1/phota/profiles/ids"))
            await ids.AssertErrorAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");

        // The webhook secret declares no 500, so it is never injected there.
        await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync();
        Assert.Empty(emulator.State.ChargesOf(emulator.ApiKeys[0]));
        Assert.Empty(emulator.State.JobsOf(emulator.ApiKeys[0]));
    }

    [Fact]
    public async Task A_millisecond_retry_after_is_sent_exactly_and_rounded_up_in_seconds()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.Fault503Burst = 1;
            o.FaultRetryAfterMs = 1200;
        });
        using var client = Api.Client(emulator);
        using var refused = await client.PostJsonAsync("/v1/phota/generate", Generate());
        await refused.AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
        Assert.Equal("1200", Assert.Single(refused.Headers.GetValues("retry-after-ms")));
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(1200, Phota.Emulator.Options.EmulatorCommandLine.Parse(["--fault-retry-after-ms", "1200"]).Options!.FaultRetryAfterMs);
    }

    [Fact]
    public async Task Job_polls_are_eligible_for_503()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.Fault503Rate = 1);
        using var client = Api.Client(emulator);
        await (await client.GetAsync("/v1/phota/jobs/job_x")).AssertErrorAsync(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
        await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync();
        await (await client.DeleteAsync("/v1/phota/profiles/p")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_faults()
    {
        async Task<string> RunAsync()
        {
            await using var emulator = await EmulatorFixture.StartAsync(o =>
            {
                o.Fault503Rate = 0.5;
                o.FaultSeed = 42;
            });
            using var client = Api.Client(emulator);
            var statuses = new List<int>();
            for (var i = 0; i < 24; i++)
            {
                using var response = await client.GetAsync("/v1/phota/jobs/job_x");
                statuses.Add((int)response.StatusCode);
            }

            return string.Join(",", statuses);
        }

        var first = await RunAsync();
        Assert.Equal(first, await RunAsync());
        Assert.Contains("503", first);
        Assert.Contains("404", first);
    }

    [Fact]
    public async Task Added_latency_delays_api_requests()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.FaultLatencyMs = 150);
        using var client = Api.Client(emulator);
        var watch = Stopwatch.StartNew();
        await (await client.GetAsync("/v1/phota/profiles/ids")).OkJsonAsync();
        Assert.True(watch.ElapsedMilliseconds >= 140, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task An_aborted_response_breaks_the_connection_after_the_work_was_done()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.FaultAbortRate = 1);
        using var client = Api.Client(emulator);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await client.PostJsonAsync("/v1/phota/generate", Generate(async: true).Also(b => b["client_request_id"] = "retry-me"));
            await response.Content.ReadAsByteArrayAsync();
        });

        // The submit was charged although its answer was lost: the admin route is never aborted.
        var account = await client.AccountAsync();
        Assert.Equal(99.88m, (decimal)account["balance_usd"]!);
        Assert.Equal(1, (int)account["jobs"]!);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
