namespace Phota.Reliability.Tests;

/// <summary>
/// Cancellation (Ctrl+C, StopProcessing, a cancelled token) at every stage: afterwards no temporary file remains,
/// every job the server has is in the journal, and collecting later finishes the work without paying twice.
/// </summary>
public class CancellationTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task Cancelled_before_submit_nothing_is_journaled_sent_or_written()
    {
        using var t = NewClient();
        var input = t.Image("early.png");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(input) }, t.OutputOptions, cancellationToken: cancelled.Token));

        Assert.Empty(t.Client.Journal.GetEntries());
        Assert.Equal(0, State.GetAccount(t.Key).Submits);
        Assert.Empty(t.StrayFiles(input));
    }

    [Fact]
    public async Task Cancelled_while_the_submit_is_in_flight_the_intent_is_journaled_and_collect_recovers_one_job()
    {
        // Every API request waits 400 ms in the emulator: the cancel lands while the submit is on the wire.
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.FaultLatencyMs = 400; o.JobMilliseconds = 10; });
        using var t = new TestClient(emulator);
        var input = t.Image("wire.png");
        var before = emulator.State.BalanceOf(t.Key);
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.Client.SubmitAndSaveAsync(
            new EnhanceRequest { Image = ImageInput.FromFile(input) }, t.OutputOptions,
            (stage, _) => { if (stage == StudioStage.Submitting) cts.CancelAfter(100); }, cts.Token));

        var entry = Assert.Single(t.Client.Journal.GetEntries());
        Assert.Equal(JournalState.Intent, entry.State);
        Assert.Null(entry.JobId);
        await Task.Delay(600);
        AssertServerJobsAreJournaled(emulator, t);

        var saved = await t.Client.CollectAsync(entry);
        Assert.Equal("wire.enhanced.jpg", Path.GetFileName(Assert.Single(saved).Path));
        Assert.Single(emulator.State.JobsOf(t.Key));
        Assert.Equal(before - 0.12m, emulator.State.BalanceOf(t.Key));
        Assert.Empty(t.OutputFiles("*.partial-*"));
    }

    [Fact]
    public async Task Cancelled_between_submit_and_poll_the_job_is_journaled_with_its_id()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 300);
        using var t = new TestClient(emulator);
        var input = t.Image("between.png");
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.Client.SubmitAndSaveAsync(
            new EnhanceRequest { Image = ImageInput.FromFile(input) }, t.OutputOptions,
            (stage, _) => { if (stage == StudioStage.Waiting) cts.Cancel(); }, cts.Token));

        var entry = Assert.Single(t.Client.Journal.GetOutstanding());
        Assert.Equal(JournalState.Submitted, entry.State);
        Assert.Equal(Assert.Single(emulator.State.JobsOf(t.Key)).JobId, entry.JobId);
        Assert.Empty(t.StrayFiles(input));

        var saved = await t.Client.CollectAsync(entry);
        Assert.Null(TestImages.JpegProblem(await File.ReadAllBytesAsync(Assert.Single(saved).Path)));
        Assert.Single(emulator.State.JobsOf(t.Key));
    }

    [Fact]
    public async Task Cancelled_mid_download_no_partial_file_remains_and_collect_saves_the_whole_file()
    {
        var slow = new SlowDownloadHandler();
        using var t = NewClient(new ClientSettings { Handlers = () => [slow] });
        var input = t.Image("half.png");
        using var cts = new CancellationTokenSource();
        var run = t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(input), NumOutputImages = 2 }, t.OutputOptions, cancellationToken: cts.Token);
        await slow.FirstBytes.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEmpty(t.OutputFiles("*.partial-*"));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Empty(t.StrayFiles(input));
        var entry = Assert.Single(t.Client.Journal.GetOutstanding());
        Assert.Equal(JournalState.Completed, entry.State);
        Assert.Equal(Assert.Single(State.JobsOf(t.Key)).JobId, entry.JobId);

        // Another client on the journal, without the slow download.
        using var collector = t.Another(settings: new ClientSettings());
        var saved = await collector.CollectAsync(entry);
        Assert.Equal(["half.enhanced.jpg", "half.enhanced-2.jpg"], saved.Select(s => Path.GetFileName(s.Path)));
        Assert.All(saved, s => Assert.Null(TestImages.JpegProblem(File.ReadAllBytes(s.Path))));
        Assert.Empty(t.OutputFiles("*.partial-*"));
    }

    [Fact]
    public async Task A_batch_cancelled_midway_leaves_every_paid_job_journaled_and_collectable_without_new_charges()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 150);
        using var t = new TestClient(emulator);
        var before = emulator.State.BalanceOf(t.Key);
        var inputs = Enumerable.Range(0, 24).Select(i => t.Image($"b{i:D2}.png", seed: i)).ToArray();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 6 }, cts.Token);
        foreach (var input in inputs)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(input) }));
        }

        batch.Complete();
        var finished = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var r in batch.ReadAllAsync())
            {
                Assert.True(r.Succeeded, r.Error?.Message);
                if (++finished == 5)
                {
                    batch.Cancel();
                }
            }
        });
        await batch.DisposeAsync();

        Assert.Empty(t.OutputFiles("*.partial-*"));
        AssertServerJobsAreJournaled(emulator, t);
        var outstanding = t.Client.Journal.GetOutstanding();
        Assert.All(batch.UncollectedJobs, j => Assert.Contains(outstanding, e => e.JobId == j.JobId));
        var jobsBeforeCollect = emulator.State.JobsOf(t.Key).Count;
        Assert.InRange(jobsBeforeCollect, 5, 23);

        foreach (var entry in outstanding)
        {
            await t.Client.CollectAsync(entry);
        }

        Assert.Empty(t.Client.Journal.GetOutstanding());
        var jobs = emulator.State.JobsOf(t.Key);
        Assert.Equal(jobs.Count, t.OutputFiles("*.jpg").Length);
        Assert.Equal(jobs.Count, jobs.Select(j => j.ClientRequestId).Distinct().Count());
        Assert.Equal(before - jobs.Count * 0.12m, emulator.State.BalanceOf(t.Key));
        Assert.Empty(t.OutputFiles("*.partial-*"));
    }

    private static void AssertServerJobsAreJournaled(Emulator.RunningEmulator emulator, TestClient t)
    {
        var journal = t.Client.Journal.GetEntries();
        Assert.All(emulator.State.JobsOf(t.Key), j => Assert.Contains(journal, e => e.ClientRequestId == j.ClientRequestId));
    }
}
