namespace Phota.Emulator.Tests;

/// <summary>Bounded concurrent load: balances stay exact, no job is lost, no charge doubled.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_clients_never_corrupt_a_balance_or_lose_a_job()
    {
        const int clients = 32, perClient = 20;
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 1);
        var key = emulator.ApiKeys[0];
        var image = Api.PngBase64(32, 32);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var jobIds = await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = Api.Client(emulator);
            var ids = new List<string>();
            for (var i = 0; i < perClient; i++)
            {
                timeout.Token.ThrowIfCancellationRequested();
                // Every client also re-submits its previous request id once: those must not charge.
                var requestId = $"c{c}-r{(i % 2 == 1 ? i - 1 : i)}";
                using var response = await client.PostJsonAsync("/v1/phota/edit", new JsonObject
                {
                    ["images"] = new JsonArray(image), ["async"] = true, ["response_mode"] = "urls",
                    ["output_format"] = "jpg", ["client_request_id"] = requestId,
                });
                ids.Add((string)(await response.OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!);
            }

            return ids;
        })));

        var distinct = jobIds.SelectMany(i => i).Distinct().ToList();
        Assert.Equal(clients * perClient / 2, distinct.Count);
        var account = emulator.State.GetAccount(key);
        Assert.Equal(clients * perClient, account.Submits);
        Assert.Equal(distinct.Count, account.Jobs);
        Assert.Equal(100m - distinct.Count * 0.12m, account.BalanceUsd);
        Assert.Equal(distinct.Count, emulator.State.ChargesOf(key).Count);
        Assert.Equal(distinct.OrderBy(x => x), emulator.State.JobsOf(key).Select(j => j.JobId).OrderBy(x => x));

        using var check = Api.Client(emulator);
        foreach (var id in distinct.Take(10))
            Assert.Equal("succeeded", (string)(await ProfileHelper.PollJobAsync(check, id, "succeeded"))["status"]!);
    }

    [Fact]
    public async Task Concurrent_spending_stops_exactly_at_the_credit()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.CreditUsd = 1.20m;
            o.JobMilliseconds = 1;
        });
        var key = emulator.ApiKeys[0];
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
        {
            using var client = Api.Client(emulator);
            using var response = await client.PostJsonAsync("/v1/phota/generate", new JsonObject
            {
                ["prompt"] = "x", ["output_format"] = "jpg", ["response_mode"] = "urls",
            });
            return response.StatusCode;
        })));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.PaymentRequired));
        Assert.Equal(0m, emulator.State.BalanceOf(key));
    }
}
