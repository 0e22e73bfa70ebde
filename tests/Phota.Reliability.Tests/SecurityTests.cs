using System.Net.Http;
using System.Text;
using System.Text.Json;
using Phota.Emulator;
using Phota.Webhooks;

namespace Phota.Reliability.Tests;

/// <summary>The key never leaks, TLS is never weakened, and nothing a server returns chooses where files go.</summary>
public class SecurityTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    private const string Key = "phota-live-KEYMARK-5c1e9a7d30b4";
    private const string WrongKey = "phota-live-WRONGMARK-88f0e2d1";

    [Fact]
    public async Task The_api_key_appears_in_no_log_event_exception_journal_output_or_temporary_file()
    {
        var captured = new List<string>();
        void Capture(object? o)
        {
            if (o is Exception e)
            {
                captured.Add(e.ToString());
                for (var inner = e; inner is not null; inner = inner.InnerException)
                {
                    captured.Add(inner.Message);
                    captured.AddRange(inner.Data.Values.Cast<object?>().Select(v => v?.ToString() ?? string.Empty));
                }
            }
            else if (o is not null)
            {
                captured.Add(o.ToString() ?? string.Empty);
            }
        }

        async Task Expect(Func<Task> act)
        {
            try
            {
                await act();
            }
            catch (Exception e)
            {
                Capture(e);
            }
        }

        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.ApiKeys.Add(Key);
            o.Fault503Rate = 0.2;
            o.FaultRetryAfterSeconds = 0;
            o.FaultAbortRate = 0.05;
            o.FaultJobFailRate = 0.3;
            o.FaultSeed = 11;
            o.JobMilliseconds = 10;
        });
        using var t = new TestClient(emulator, Key);
        Capture(t.Client.Session);

        // Work that succeeds, fails on the server, is refused, times out, is cancelled and is collected.
        await using (var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 4 }))
        {
            for (var i = 0; i < 12; i++)
            {
                batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"s{i}.png", seed: i)), NumOutputImages = 1 + i % 2 }));
            }

            batch.Complete();
            await foreach (var r in batch.ReadAllAsync())
            {
                Capture(r.Error);
                Capture(r.Job);
                r.Images.ToList().ForEach(Capture);
            }
        }

        await Expect(() => t.Client.SendSynchronousAndSaveAsync(new GenerateRequest { Prompt = "a lighthouse at dusk" }, t.OutputOptions));
        await Expect(() => t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("p.png")), ProfileIds = ["prof-nope"] }, t.OutputOptions));
        await Expect(() => t.Client.GenerateAsync(new GenerateRequest { Prompt = "something nsfw" }));
        await Expect(() => t.Client.GetJobAsync("job_unknown"));
        await Expect(() => t.Client.ReceiveJobAsync("job_unknown", t.OutputOptions));
        await Expect(() => t.Client.AddProfileAsync(new AddProfileRequest { ImageUrls = ["https://example.com/1.jpg"], TrainingTier = TrainingTier.Fast }));
        await Expect(async () => Capture(await t.Client.GetWebhookSecretAsync()));
        await Expect(() => t.Client.DeleteProfileAsync("prof-nope"));
        using (var cts = new CancellationTokenSource())
        {
            await Expect(() => t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("c.png")) }, t.OutputOptions,
                (stage, _) => { if (stage == StudioStage.Waiting) cts.Cancel(); }, cts.Token));
        }

        foreach (var entry in t.Client.Journal.GetOutstanding())
        {
            await Expect(async () => (await t.Client.CollectAsync(entry)).ToList().ForEach(Capture));
        }

        t.Client.Journal.GetEntries().ToList().ForEach(e => Capture(JsonSerializer.Serialize(e)));

        // A server that echoes the key back in error texts, and a refused key, an unreachable host and an untrusted certificate.
        var echo = new HostileServerHandler { EchoKeyInErrors = true };
        using (var hostile = new TestClient(emulator, Key, new ClientSettings { Handlers = () => [echo] }))
        {
            await Expect(() => hostile.Client.ListProfilesAsync());
            await Expect(() => hostile.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(hostile.Image("h.png")) }, hostile.OutputOptions));
            captured.AddRange(hostile.Events.Select(e => e.ToString() + JsonSerializer.Serialize(e)));
            captured.AddRange(hostile.Dir.Files().Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        }

        using (var wrong = new TestClient(emulator, WrongKey))
        {
            await Expect(() => wrong.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(wrong.Image("w.png")) }, wrong.OutputOptions));
            await Expect(() => wrong.Client.TestConnectionAsync());
            captured.AddRange(wrong.Events.Select(e => e.ToString() + JsonSerializer.Serialize(e)));
            captured.AddRange(wrong.Dir.Files().Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        }

        using (var unreachable = new PhotaClient(new PhotaSession(Key, new Uri("http://127.0.0.1:9/")), t.Options))
        {
            await Expect(() => unreachable.ListProfilesAsync());
        }

        await using (var tls = await LoopbackHttpsReceiver.StartAsync())
        using (var untrusted = new PhotaClient(new PhotaSession(Key, tls.BaseAddress), t.Options))
        {
            await Expect(() => untrusted.ListProfilesAsync());
        }

        // Everything captured: log events (text and every field), exceptions, the journal, outputs and any temporary file.
        captured.AddRange(t.Events.Select(e => e.ToString() + JsonSerializer.Serialize(e)));
        captured.AddRange(t.Dir.Files().Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        captured.AddRange(Directory.GetFiles(Path.GetTempPath(), "*.partial-*").Select(f => f));

        Assert.True(captured.Count > 150, $"Expected a large capture, got {captured.Count} items.");
        Assert.Contains(captured, c => c.Contains("refused the API key", StringComparison.Ordinal));
        Assert.Contains(captured, c => c.Contains("***", StringComparison.Ordinal));
        foreach (var secret in new[] { Key, WrongKey, Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)), Uri.EscapeDataString(Key), "KEYMARK", "WRONGMARK" })
        {
            var leaks = captured.Where(c => c.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' leaked into: {string.Join("\n---\n", leaks.Take(3))}");
        }
    }

    [Fact]
    public async Task An_https_base_url_with_an_untrusted_certificate_fails_once_and_never_sends_the_key()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var dir = new TempDir();
        var events = new List<PhotaLogEvent>();
        using var client = new PhotaClient(new PhotaSession(Key, receiver.BaseAddress), TestClient.FastOptions(Path.Combine(dir.Path, "j.jsonl"), events.Add));

        var error = await Assert.ThrowsAsync<PhotaException>(() => client.ListProfilesAsync());

        Assert.Equal(ErrorKind.Unreachable, error.Kind);
        var http = Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(HttpRequestError.SecureConnectionError, http.HttpRequestError);
        Assert.Empty(receiver.Received);
        Assert.DoesNotContain(events, e => e.Kind == PhotaLogEventKind.Retry);

        // Nothing is submitted over it either, and the journal says the submit may not have happened.
        var submit = await Assert.ThrowsAsync<PhotaException>(() => client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(dir.File("a.png", TestImages.Png(48, 3))) }));
        Assert.Equal(ErrorKind.Unreachable, submit.Kind);
        Assert.Empty(receiver.Received);
    }

    [Theory]
    [InlineData("http://api.photalabs.com", "plain http")]
    [InlineData("http://10.0.0.7:8080/", "plain http")]
    [InlineData("https://user:pw@api.photalabs.com", "credentials")]
    [InlineData("ftp://api.photalabs.com", "not an http(s) URL")]
    public void A_base_url_that_would_expose_the_key_is_refused(string url, string reason)
    {
        var error = Assert.Throws<PhotaInputException>(() => new PhotaSession(Key, new Uri(url)));
        Assert.Equal("base URL", error.Input);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("pw@", error.Message);
    }

    [Theory]
    [InlineData("https://api.photalabs.com")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public void Https_anywhere_and_plain_http_on_loopback_are_accepted(string url)
        => Assert.Equal(new Uri(url).Host, new PhotaSession(Key, new Uri(url)).BaseUri.Host);

    [Fact]
    public async Task Hostile_job_ids_operations_links_and_headers_cannot_place_files_outside_the_output_folder()
    {
        var hostile = new HostileServerHandler();
        using var t = NewClient(new ClientSettings { Handlers = () => [hostile] });
        var outside = Directory.GetParent(t.Output)!.FullName;

        var saved = await t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("beach.png")), NumOutputImages = 2 }, t.OutputOptions);
        Assert.Equal(["beach.enhanced.jpg", "beach.enhanced-2.jpg"], saved.Select(s => Path.GetFileName(s.Path)));

        // Without a journal entry the name comes from the job id the caller passed, sanitized.
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("other.png")) }, t.OutputOptions);
        using var stranger = new PhotaClient(new PhotaSession(t.Key, Emulator.BaseAddress),
            TestClient.FastOptions(Path.Combine(t.Dir.Path, "other-journal.jsonl"), settings: new ClientSettings { Handlers = () => [new HostileServerHandler()] }));
        var received = await stranger.ReceiveJobAsync(job.JobId, t.OutputOptions);
        // The operation the server claims is not a known one, so it does not reach the name; the job id is the caller's.
        Assert.Equal($"job-{job.JobId}.jpg", Path.GetFileName(Assert.Single(received).Path));

        var everything = t.Dir.Files().Concat(Directory.GetFiles(outside)).ToList();
        Assert.All(t.OutputFiles(), f => Assert.Equal(Path.GetFullPath(t.Output), Path.GetDirectoryName(f)));
        Assert.DoesNotContain(everything, f => Path.GetFileName(f).StartsWith("evil", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "evil*"));
        Assert.Equal(3, t.OutputFiles().Length);
        Assert.All(t.OutputFiles(), f => Assert.Null(TestImages.JpegProblem(File.ReadAllBytes(f))));
    }

    [Fact]
    public void Webhook_verification_refuses_missing_and_malformed_signatures_and_accepts_every_documented_spelling()
    {
        var body = "{\"job_id\":\"job_9\",\"status\":\"succeeded\",\"operation\":\"edit\",\"created_at\":\"2026-01-01T00:00:00Z\"}"u8.ToArray();
        const string secret = "whsec_test";
        var hex = WebhookSignature.Compute(body, secret);
        foreach (var good in new[] { hex, hex.ToUpperInvariant(), "sha256=" + hex, "SHA256=" + hex.ToUpperInvariant(), " " + hex + " " })
        {
            Assert.True(WebhookSignature.Verify(body, good, secret), good);
        }

        foreach (var bad in new[] { null, "", "   ", "sha256=", hex[..63], hex + "0", "sha1=" + hex, hex[..62] + "zz", new string('0', 64) })
        {
            Assert.False(WebhookSignature.Verify(body, bad, secret), bad ?? "(null)");
        }

        for (var i = 0; i < body.Length; i += 7)
        {
            var changed = (byte[])body.Clone();
            changed[i] ^= 0x20;
            Assert.False(WebhookSignature.Verify(changed, hex, secret));
        }

        Assert.False(WebhookSignature.Verify([.. body, (byte)' '], hex, secret));
        Assert.False(WebhookSignature.Verify(body[..^1], hex, secret));
    }
}
