namespace Phota.Emulator.Tests;

/// <summary>Money to the cent: prices, reservation at submit, 402 rules per route, refunds.</summary>
public sealed class BillingTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    private static JsonObject Edit(int outputs, params string[] profileIds) => new()
    {
        ["images"] = new JsonArray(Api.PngBase64()),
        ["num_output_images"] = outputs,
        ["profile_ids"] = new JsonArray(profileIds.Select(p => (JsonNode)p).ToArray()),
        ["output_format"] = "jpg",
        ["response_mode"] = "urls",
    };

    [Fact]
    public async Task Each_request_debits_its_price_per_output_image()
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);

        await (await client.PostJsonAsync("/v1/phota/edit", Edit(3))).OkJsonAsync();
        Assert.Equal(99.64m, State.BalanceOf(key));
        await (await client.PostJsonAsync("/v1/phota/enhance", new JsonObject { ["image"] = Api.PngBase64(), ["num_output_images"] = 2, ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        Assert.Equal(99.40m, State.BalanceOf(key));
        await (await client.PostJsonAsync("/v1/phota/remix", new JsonObject { ["input_image"] = Api.PngBase64(), ["reference_image"] = Api.PngBase64(), ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        Assert.Equal(99.28m, State.BalanceOf(key));
        await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["num_output_images"] = 4, ["base_model"] = "gpt-image-2", ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        Assert.Equal(98.80m, State.BalanceOf(key));

        var account = await client.AccountAsync();
        Assert.Equal(98.80m, (decimal)account["balance_usd"]!);
        Assert.Equal(1.20m, (decimal)account["charged_usd"]!);
        Assert.Equal(0m, (decimal)account["refunded_usd"]!);
        Assert.Equal(4, (int)account["submits"]!);
        Assert.Equal(4, (int)account["jobs"]!);
        Assert.Equal(["edit", "enhance", "remix", "generate"], State.ChargesOf(key).Select(c => c.Kind));
    }

    [Fact]
    public async Task Identity_prices_apply_when_a_profile_is_recognised()
    {
        await using var files = await LoopbackFileServer.StartAsync();
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        var fast = await ProfileHelper.AddReadyAsync(client, files);
        Assert.Equal(100m - 1.49m, State.BalanceOf(key));

        await (await client.PostJsonAsync("/v1/phota/edit", Edit(2, fast))).OkJsonAsync();
        Assert.Equal(100m - 1.49m - 0.30m, State.BalanceOf(key));
        await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = $"[[{fast}]]", ["num_output_images"] = 3, ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        Assert.Equal(100m - 1.49m - 0.30m - 0.45m, State.BalanceOf(key));

        var urls = new JsonArray(Enumerable.Range(0, 10).Select(i => (JsonNode)files.Add($"std{i}.jpg", Api.Jpeg(90, 90, i))).ToArray());
        await (await client.PostJsonAsync("/v1/phota/profiles/add", new JsonObject { ["image_urls"] = urls })).OkJsonAsync();
        Assert.Equal(100m - 1.49m - 0.30m - 0.45m - 2.90m, State.BalanceOf(key));
    }

    [Fact]
    public async Task Configured_prices_are_used()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.ModelPrices["gpt-image-2"] = new ModelPrice(0.20m, 0.25m);
            o.PriceDefault = 0.05m;
            o.PriceEnhance = 0.07m;
        });
        var key = emulator.ApiKeys[0];
        using var client = Api.Client(emulator);
        await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["base_model"] = "gpt-image-2", ["num_output_images"] = 2, ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["base_model"] = "reve", ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        await (await client.PostJsonAsync("/v1/phota/enhance", new JsonObject { ["image"] = Api.PngBase64(), ["output_format"] = "png", ["response_mode"] = "urls" })).OkJsonAsync();
        Assert.Equal([0.40m, 0.05m, 0.07m], emulator.State.ChargesOf(key).Select(c => c.AmountUsd));
    }

    [Fact]
    public async Task Studio_402_when_the_balance_cannot_cover_the_request_and_nothing_is_charged()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.CreditUsd = 0.20m);
        var key = emulator.ApiKeys[0];
        using var client = Api.Client(emulator);

        await (await client.PostJsonAsync("/v1/phota/edit", Edit(2))).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(0.20m, emulator.State.BalanceOf(key));
        Assert.Empty(emulator.State.ChargesOf(key));

        await (await client.PostJsonAsync("/v1/phota/edit", Edit(1))).OkJsonAsync();
        Assert.Equal(0.08m, emulator.State.BalanceOf(key));
        await (await client.PostJsonAsync("/v1/phota/edit", Edit(1))).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(1, emulator.State.GetAccount(key).Submits);
    }

    [Fact]
    public async Task Profile_routes_follow_their_402_rules()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.CreditUsd = 1.00m);
        await using var files = await LoopbackFileServer.StartAsync();
        var key = emulator.ApiKeys[0];
        using var client = Api.Client(emulator);

        // Add needs the whole price ($1.49 fast) ...
        var urls = new JsonArray(Enumerable.Range(0, 5).Select(i => (JsonNode)files.Add($"f{i}.jpg", Api.Jpeg(90, 90, i))).ToArray());
        await (await client.PostJsonAsync("/v1/phota/profiles/add", new JsonObject { ["image_urls"] = urls, ["training_tier"] = "fast" }))
            .AssertErrorAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(0, files.RequestCount);

        // ... the read-only routes only some credit.
        await (await client.GetAsync("/v1/phota/profiles/ids")).OkJsonAsync();
        await (await client.GetAsync("/v1/phota/profiles/prof_x/status")).AssertErrorAsync(HttpStatusCode.NotFound, "PROFILE_NOT_FOUND");
        Assert.Equal(1.00m, emulator.State.BalanceOf(key));
    }

    [Fact]
    public async Task With_no_credit_left_read_only_profile_routes_are_402_but_jobs_and_secret_never()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.CreditUsd = 0m);
        using var client = Api.Client(emulator);
        await (await client.GetAsync("/v1/phota/profiles/ids")).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        await (await client.GetAsync("/v1/phota/profiles/p/status")).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        await (await client.GetAsync("/v1/phota/profiles/p/profile_picture")).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        await (await client.DeleteAsync("/v1/phota/profiles/p")).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["output_format"] = "png" })).AssertErrorAsync(HttpStatusCode.PaymentRequired);
        await (await client.GetAsync("/v1/phota/jobs/job_x")).AssertErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync();
    }

    [Fact]
    public async Task A_sync_request_past_the_time_limit_is_504_and_refunded()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.JobMilliseconds = 400;
            o.SyncTimeLimit = TimeSpan.FromSeconds(60); // 60 ms at the fast time scale
        });
        var key = emulator.ApiKeys[0];
        // 504 is not declared by the document (it only happens past the limit), so this response is not schema-checked.
        using var client = Api.UncheckedClient(emulator);
        var body = await (await client.PostJsonAsync("/v1/phota/edit", Edit(2))).AssertErrorAsync(HttpStatusCode.GatewayTimeout);
        Assert.Contains("refunded", (string)body["detail"]!);
        Assert.Equal(100m, emulator.State.BalanceOf(key));
        var charge = Assert.Single(emulator.State.ChargesOf(key));
        Assert.True(charge.Refunded);
        var account = await client.AccountAsync();
        Assert.Equal(0.24m, (decimal)account["charged_usd"]!);
        Assert.Equal(0.24m, (decimal)account["refunded_usd"]!);

        // Async jobs have no such limit.
        var handle = await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png" }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        var job = await ProfileHelper.PollJobAsync(client, (string)handle["job_id"]!, "succeeded", "failed");
        Assert.Equal("succeeded", (string)job["status"]!);
        Assert.Equal(99.88m, emulator.State.BalanceOf(key));
    }

    [Fact]
    public async Task A_failed_async_job_is_refunded_and_a_failed_profile_too()
    {
        var clock = new ManualTimeProvider();
        await using var emulator = await RunningEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock, FaultJobFailRate = 1 });
        await using var files = await LoopbackFileServer.StartAsync();
        var key = emulator.ApiKeys[0];
        using var client = Api.Client(emulator);
        var handle = await (await client.PostJsonAsync("/v1/phota/generate", new JsonObject { ["prompt"] = "x", ["num_output_images"] = 2, ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png" }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(99.76m, emulator.State.BalanceOf(key));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("failed", (string)(await (await client.GetAsync($"/v1/phota/jobs/{handle["job_id"]}")).OkJsonAsync())["status"]!);
        Assert.Equal(100m, emulator.State.BalanceOf(key));

        var tiny = await ProfileHelper.AddAsync(client, files, side: 32);
        Assert.Equal(98.51m, emulator.State.BalanceOf(key));
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ERROR", (string)(await ProfileHelper.StatusAsync(client, tiny))["status"]!);
        Assert.Equal(100m, emulator.State.BalanceOf(key));
        var account = await client.AccountAsync();
        Assert.Equal(1.73m, (decimal)account["charged_usd"]!);
        Assert.Equal(1.73m, (decimal)account["refunded_usd"]!);
    }
}
