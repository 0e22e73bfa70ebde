using System.Security.Cryptography;
using System.Text;

namespace Phota.Emulator.Tests;

/// <summary>Webhook secret and signed job callbacks to an https receiver on loopback.</summary>
public sealed class WebhookTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    private static JsonObject AsyncWithCallback(string callbackUrl) => new()
    {
        ["prompt"] = "a lake", ["async"] = true, ["response_mode"] = "urls", ["output_format"] = "png", ["callback_url"] = callbackUrl,
    };

    /// <summary>Independent of the emulator's code: HMAC-SHA256 over the received bytes, lowercase hex.</summary>
    private static string ExpectedSignature(string secret, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return string.Concat(hmac.ComputeHash(body).Select(b => b.ToString("x2")));
    }

    [Fact]
    public async Task Secret_is_minted_once_and_returned_unchanged()
    {
        var key = NewAccount();
        using var client = Api.Client(Emulator, key);
        Assert.False(State.GetAccount(key).WebhookSecretMinted);
        var first = (string)(await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;
        var second = (string)(await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;
        Assert.True(first.Length >= 32);
        Assert.Equal(first, second);
        Assert.True(State.GetAccount(key).WebhookSecretMinted);
    }

    [Fact]
    public async Task Callback_posts_the_final_status_signed_with_the_secret()
    {
        var key = NewAccount();
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var client = Api.Client(Emulator, key);
        var secret = (string)(await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;

        var jobId = (string)(await (await client.PostJsonAsync("/v1/phota/generate", AsyncWithCallback(new Uri(receiver.BaseAddress, "hooks/phota").ToString())))
            .OkJsonAsync(HttpStatusCode.Accepted))["job_id"]!;
        Assert.True(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20)));

        var delivery = Assert.Single(receiver.Received);
        Assert.Equal("/hooks/phota", delivery.Path);
        Assert.StartsWith("application/json", delivery.Headers["Content-Type"]);
        Assert.Equal(ExpectedSignature(secret, delivery.Body), delivery.Headers["X-Phota-Signature"]);

        var payload = JsonNode.Parse(delivery.Body)!;
        Assert.Equal(jobId, (string)payload["job_id"]!);
        Assert.Equal("succeeded", (string)payload["status"]!);
        Assert.Single(payload["result"]!["download_urls"]!.AsArray());
        var polled = await ProfileHelper.PollJobAsync(client, jobId, "succeeded");
        Assert.Equal(polled.ToJsonString(), payload.ToJsonString());
        Assert.True(State.JobsOf(key).Single().CallbackDelivered);
    }

    [Fact]
    public async Task Callback_is_signed_even_when_the_secret_was_never_fetched_and_retried_on_failure()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.CallbackBackoff = TimeSpan.FromSeconds(10)); // 10 ms
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        receiver.FailNext(2);
        using var client = Api.Client(emulator);
        await (await client.PostJsonAsync("/v1/phota/generate", AsyncWithCallback(receiver.BaseAddress.ToString()))).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.True(await receiver.WaitForAsync(3, TimeSpan.FromSeconds(20)));

        var deliveries = receiver.Received;
        Assert.Equal([500, 500, 200], deliveries.Select(d => d.AnsweredStatus));
        Assert.Single(deliveries.Select(d => Convert.ToBase64String(d.Body)).Distinct());
        var secret = (string)(await (await client.GetAsync("/v1/phota/webhook-secret")).OkJsonAsync())["webhook_signing_secret"]!;
        Assert.All(deliveries, d => Assert.Equal(ExpectedSignature(secret, d.Body), d.Headers["X-Phota-Signature"]));
        var job = emulator.State.JobsOf(emulator.ApiKeys[0]).Single();
        Assert.Equal(3, job.CallbackAttempts);
        Assert.True(job.CallbackDelivered);
    }

    [Fact]
    public async Task Delivery_gives_up_after_the_configured_attempts()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.CallbackAttempts = 2;
            o.CallbackBackoff = TimeSpan.FromSeconds(5);
        });
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        receiver.FailNext(10);
        using var client = Api.Client(emulator);
        await (await client.PostJsonAsync("/v1/phota/generate", AsyncWithCallback(receiver.BaseAddress.ToString()))).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.True(await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20)));
        await Task.Delay(200);
        Assert.Equal(2, receiver.Received.Count);
        Assert.False(emulator.State.JobsOf(emulator.ApiKeys[0]).Single().CallbackDelivered);
    }

    [Fact]
    public async Task A_failed_job_is_reported_to_the_callback_too()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.FaultJobFailRate = 1);
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var client = Api.Client(emulator);
        await (await client.PostJsonAsync("/v1/phota/generate", AsyncWithCallback(receiver.BaseAddress.ToString()))).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.True(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20)));
        var payload = JsonNode.Parse(receiver.Received[0].Body)!;
        Assert.Equal("failed", (string)payload["status"]!);
        Assert.Equal("instance_died", (string)payload["error"]!["code"]!);
    }
}
