using Phota.Emulator;

namespace Phota.Tests;

/// <summary>Documented errors, injected faults, money safety, cancellation and recovery, against the emulator.</summary>
public class ClientErrorAndResilienceTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task Documented_errors_map_to_their_kinds()
    {
        using var t = NewClient();
        var input = ImageInput.FromFile(t.Image("e.png"));

        using (var wrongKey = t.Another("not-a-valid-key"))
        {
            var e = await Assert.ThrowsAsync<PhotaApiException>(() => wrongKey.ListProfilesAsync());
            Assert.Equal(ErrorKind.InvalidApiKey, e.Kind);
            Assert.DoesNotContain("not-a-valid-key", e.ToString());
        }

        var moderation = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.GenerateAsync(new GenerateRequest { Prompt = "something nsfw" }));
        Assert.Equal(ErrorKind.ContentModeration, moderation.Kind);
        Assert.Equal("CONTENT_MODERATION", moderation.Code);
        Assert.NotNull(moderation.RequestId);

        var noProfile = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.EnhanceAsync(new EnhanceRequest { Image = input, ProfileIds = ["no-such-profile"] }));
        Assert.Equal(ErrorKind.ProfileNotFound, noProfile.Kind);

        var noJob = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.GetJobAsync("no-such-job"));
        Assert.Equal(ErrorKind.NotFound, noJob.Kind);

        // Nothing was journaled for calls refused before or by the server synchronously.
        Assert.Empty(t.Client.Journal.GetEntries());
    }

    [Fact]
    public async Task Profile_not_ready_and_no_credit()
    {
        await using var files = await LoopbackFileServer.StartAsync();
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.CreditUsd = 1.60m; o.TimeScale = 1; });
        using var t = new TestClient(emulator);
        var urls = Enumerable.Range(0, 5).Select(i => files.Add($"/t/{i}.png", TestImages.Png(96, 96, i), "image/png")).ToList();
        var profile = await t.Client.AddProfileAsync(new AddProfileRequest { ImageUrls = urls, TrainingTier = TrainingTier.Fast });
        var notReady = await Assert.ThrowsAsync<PhotaApiException>(() =>
            t.Client.EnhanceAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("n.png")), ProfileIds = [profile.ProfileId] }));
        Assert.Equal(ErrorKind.ProfileNotReady, notReady.Kind);

        // 1.60 - 1.49 leaves 0.11: not enough for a second profile.
        var broke = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.AddProfileAsync(new AddProfileRequest { ImageUrls = urls, TrainingTier = TrainingTier.Fast }));
        Assert.Equal(ErrorKind.InsufficientCredit, broke.Kind);
        Assert.True(broke.IsFatalForBatch);
    }

    [Fact]
    public async Task Failed_and_expired_jobs_are_clear_errors_and_journaled()
    {
        await using var failing = await EmulatorFixture.StartAsync(o => { o.FaultJobFailRate = 1; o.FaultJobFailCode = "dispatch_failed"; });
        using (var t = new TestClient(failing))
        {
            var error = await Assert.ThrowsAsync<PhotaJobFailedException>(() =>
                t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("f.png")) }, t.OutputOptions));
            Assert.Equal("dispatch_failed", error.Code);
            Assert.Equal(ErrorKind.JobFailed, error.Kind);
            Assert.NotNull(error.JobId);
            var entry = Assert.Single(t.Client.Journal.GetEntries());
            Assert.Equal(JournalState.Failed, entry.State);
            Assert.Empty(t.OutputFiles());
        }

        await using var expiring = await EmulatorFixture.StartAsync(o => o.ResultExpiry = TimeSpan.FromSeconds(50));
        using (var t = new TestClient(expiring))
        {
            var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("x.png")) }, t.OutputOptions);
            await Task.Delay(300);
            var error = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.ReceiveJobAsync(job.JobId, t.OutputOptions));
            Assert.Equal(ErrorKind.ResultExpired, error.Kind);
            Assert.Equal(job.JobId, error.JobId);
            Assert.Equal(JournalState.Expired, t.Client.Journal.Find(job.JobId)!.State);
        }
    }

    [Fact]
    public Task Injected_503s_and_aborted_connections_are_retried_without_double_charges() => FaultyBatchSucceedsAsync("503", o =>
    {
        o.Fault503Rate = 0.3;
        o.FaultRetryAfterSeconds = 0;
        o.FaultAbortRate = 0.05;
        o.FaultSeed = 42;
    });

    [Fact]
    public Task Injected_500s_on_submits_and_polls_are_retried_without_double_charges() => FaultyBatchSucceedsAsync("500", o =>
    {
        o.Fault500Rate = 0.3;
        o.FaultSeed = 7;
    });

    /// <summary>A batch against a faulty emulator: every item saved, retried for <paramref name="reason"/>, one job and one charge per item.</summary>
    private static async Task FaultyBatchSucceedsAsync(string reason, Action<Emulator.EmulatorOptions> faults)
    {
        await using var emulator = await EmulatorFixture.StartAsync(faults);
        using var t = new TestClient(emulator);
        var before = emulator.State.BalanceOf(t.Key);
        await using var batch = t.Client.StartBatch(new Batches.BatchOptions { Output = t.OutputOptions, Concurrency = 4 });
        const int n = 12;
        for (var i = 0; i < n; i++)
        {
            batch.Add(new Batches.BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"p{i}.png", seed: i)) }));
        }

        batch.Complete();
        var results = new List<Batches.BatchItemResult>();
        await foreach (var r in batch.ReadAllAsync())
        {
            results.Add(r);
        }

        Assert.Equal(n, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.ToString()));
        Assert.Contains(t.Events, e => e.Kind == Http.PhotaLogEventKind.Retry && e.Reason == reason);
        var jobs = emulator.State.JobsOf(t.Key);
        Assert.Equal(n, jobs.Count);
        Assert.Equal(n, jobs.Select(j => j.ClientRequestId).Distinct().Count());
        Assert.Equal(before - n * 0.12m, emulator.State.BalanceOf(t.Key));
        Assert.Equal(n, t.OutputFiles("*.jpg").Length);
        Assert.Empty(t.OutputFiles("*.partial-*"));
        Assert.All(t.OutputFiles(), f => Assert.Equal(ImageFormat.Jpeg, ImageFormatSniffer.Detect(File.ReadAllBytes(f).AsSpan(0, 16))));
    }

    [Fact]
    public async Task A_synchronous_post_is_retried_on_503_but_a_long_retry_after_is_a_rate_limit_error()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.Fault503Burst = 2; o.FaultRetryAfterSeconds = 0; });
        using var t = new TestClient(emulator);
        var response = await t.Client.EnhanceAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("s.png")) });
        Assert.Single(response.Value.DownloadUrls);
        Assert.Equal(2, t.Events.Count(e => e.Kind == Http.PhotaLogEventKind.Retry));

        await using var slow = await EmulatorFixture.StartAsync(o => { o.Fault503Burst = 1; o.FaultRetryAfterSeconds = 500; });
        using var t2 = new TestClient(slow);
        var error = await Assert.ThrowsAsync<PhotaApiException>(() => t2.Client.EnhanceAsync(new EnhanceRequest { Image = ImageInput.FromFile(t2.Image("s.png")) }));
        Assert.Equal(ErrorKind.RateLimited, error.Kind);
        Assert.Contains("500 s", error.Message);
    }

    [Fact]
    public async Task An_unreachable_base_url_is_a_clear_error()
    {
        using var dir = new TempDir();
        var options = TestClient.FastOptions(Path.Combine(dir.Path, "j.jsonl"));
        using var client = new PhotaClient(new PhotaSession("k", new Uri("http://127.0.0.1:9")), options);
        var error = await Assert.ThrowsAsync<PhotaException>(() => client.ListProfilesAsync());
        Assert.Equal(ErrorKind.Unreachable, error.Kind);
        Assert.Contains("127.0.0.1:9", error.Message);
    }

    [Fact]
    public async Task A_server_that_never_answered_is_retried_once_and_one_that_answered_rides_out_an_outage()
    {
        using var dir = new TempDir();
        var events = new System.Collections.Concurrent.ConcurrentQueue<Http.PhotaLogEvent>();
        var options = TestClient.FastOptions(Path.Combine(dir.Path, "j.jsonl"), events.Enqueue);

        // Nothing listens on the discard port: most likely a wrong URL, so one quick retry and a clear error.
        using (var wrong = new PhotaClient(new PhotaSession("k", new Uri("http://127.0.0.1:9")), options))
        {
            Assert.Equal(ErrorKind.Unreachable, (await Assert.ThrowsAsync<PhotaException>(() => wrong.ListProfilesAsync())).Kind);
        }
        Assert.Equal(1, events.Count(e => e.Kind == Http.PhotaLogEventKind.Retry));

        // A server that has answered and then goes away is an outage: every retry is spent on it.
        events.Clear();
        var emulator = await EmulatorFixture.StartAsync();
        using var client = new PhotaClient(new PhotaSession(emulator.ApiKeys[0], emulator.BaseAddress), options);
        await client.ListProfilesAsync();
        await emulator.DisposeAsync();
        Assert.Equal(ErrorKind.Unreachable, (await Assert.ThrowsAsync<PhotaException>(() => client.ListProfilesAsync())).Kind);
        Assert.Equal(options.MaxRetries, events.Count(e => e.Kind == Http.PhotaLogEventKind.Retry));
    }

    [Fact]
    public async Task Cancelling_mid_poll_leaves_the_job_in_the_journal_and_collect_finishes_it()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 1500);
        using var t = new TestClient(emulator);
        using var cts = new CancellationTokenSource();
        var run = t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("slow.png")), NumOutputImages = 2 }, t.OutputOptions,
            (stage, _) => { if (stage == StudioStage.Waiting) cts.CancelAfter(100); }, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var outstanding = Assert.Single(t.Client.Journal.GetOutstanding());
        Assert.Equal(JournalState.Submitted, outstanding.State);
        Assert.NotNull(outstanding.JobId);
        Assert.Empty(t.OutputFiles());

        var collected = await t.Client.CollectAsync(outstanding);
        Assert.Equal(["slow.enhanced.jpg", "slow.enhanced-2.jpg"], collected.Select(c => Path.GetFileName(c.Path)));
        Assert.Empty(t.Client.Journal.GetOutstanding());
        Assert.Single(emulator.State.JobsOf(t.Key));
    }

    [Fact]
    public async Task An_intent_without_a_job_id_is_recovered_by_resubmitting_with_the_same_id()
    {
        using var t = NewClient();
        var before = State.BalanceOf(t.Key);
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("lost.png")) }, t.OutputOptions);
        // As if the process died before the 202 was journaled: drop the submitted line.
        var lines = File.ReadAllLines(t.JournalPath).Where(l => !l.Contains("\"submitted\"")).ToArray();
        File.WriteAllLines(t.JournalPath, lines);
        var entry = Assert.Single(t.Client.Journal.GetOutstanding());
        Assert.Equal(JournalState.Intent, entry.State);
        Assert.Null(entry.JobId);

        var collected = await t.Client.CollectAsync(entry);
        Assert.Equal(job.JobId, collected[0].JobId);
        Assert.Single(State.JobsOf(t.Key));
        Assert.Equal(before - 0.12m, State.BalanceOf(t.Key));
    }

    [Fact]
    public async Task An_unwritable_journal_stops_the_submit_before_any_money_is_spent()
    {
        using var t = NewClient();
        Directory.CreateDirectory(t.JournalPath);
        var error = await Assert.ThrowsAsync<PhotaException>(() => t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("a.png")) }));
        Assert.Equal(ErrorKind.JournalUnavailable, error.Kind);
        Assert.Equal(0, State.GetAccount(t.Key).Submits);
    }
}
