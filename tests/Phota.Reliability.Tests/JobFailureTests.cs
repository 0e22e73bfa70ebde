namespace Phota.Reliability.Tests;

/// <summary>Jobs that fail on the server, results and links that expire, jobs that never finish: clear errors, journaled, bounded.</summary>
public class JobFailureTests
{
    [Theory]
    [InlineData("instance_died")]
    [InlineData("dispatch_failed")]
    public async Task Server_side_job_failures_are_per_item_errors_recorded_in_the_journal_and_refunded(string code)
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.FaultJobFailRate = 0.4; o.FaultJobFailCode = code; o.FaultSeed = 3; o.JobMilliseconds = 20; });
        using var t = new TestClient(emulator);
        var before = emulator.State.BalanceOf(t.Key);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 8 }, limit.Token);
        for (var i = 0; i < 30; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"f{i}.png", seed: i)) }));
        }

        batch.Complete();
        var results = new List<BatchItemResult>();
        await foreach (var r in batch.ReadAllAsync(limit.Token))
        {
            results.Add(r);
        }

        Assert.Equal(30, results.Count);
        var failed = results.Where(r => !r.Succeeded).ToList();
        Assert.InRange(failed.Count, 3, 27);
        foreach (var f in failed)
        {
            var error = Assert.IsType<PhotaJobFailedException>(f.Error);
            Assert.Equal(code, error.Code);
            Assert.Equal(ErrorKind.JobFailed, error.Kind);
            Assert.Equal(f.Job!.JobId, error.JobId);
            Assert.Contains(f.Job.JobId, error.Message);
            Assert.Contains(code, error.Message);
            var entry = t.Client.Journal.Find(f.Job.JobId)!;
            Assert.Equal(JournalState.Failed, entry.State);
            Assert.Equal(code, entry.ErrorCode);
            Assert.False(string.IsNullOrWhiteSpace(entry.Message));

            // Collecting a failed job answers at once from the journal.
            var again = await Assert.ThrowsAsync<PhotaException>(() => t.Client.CollectAsync(entry));
            Assert.Equal(ErrorKind.JobFailed, again.Kind);
        }

        Assert.Empty(t.Client.Journal.GetOutstanding());
        Assert.Equal(30 - failed.Count, t.OutputFiles().Length);
        Assert.Equal(before - (30 - failed.Count) * 0.12m, emulator.State.BalanceOf(t.Key));
    }

    [Fact]
    public async Task An_expired_result_is_a_clear_error_recorded_once_and_not_fetched_again()
    {
        // 60 s of result lifetime at the fast time scale: 60 ms.
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.ResultExpiry = TimeSpan.FromSeconds(60); o.JobMilliseconds = 10; });
        using var t = new TestClient(emulator);
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("late.png")) }, t.OutputOptions);
        await Task.Delay(400);

        var error = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.CollectAsync(t.Client.Journal.Find(job.JobId)!));
        Assert.Equal(ErrorKind.ResultExpired, error.Kind);
        Assert.Equal(job.JobId, error.JobId);
        Assert.Contains(job.JobId, error.Message);
        Assert.Contains("24 hours", error.Message);
        var entry = t.Client.Journal.Find(job.JobId)!;
        Assert.Equal(JournalState.Expired, entry.State);
        Assert.Empty(t.Client.Journal.GetOutstanding());

        var exchanges = t.Events.Count(e => e.Kind == PhotaLogEventKind.HttpExchange);
        var again = await Assert.ThrowsAsync<PhotaException>(() => t.Client.CollectAsync(entry));
        Assert.Equal(ErrorKind.ResultExpired, again.Kind);
        Assert.Equal(exchanges, t.Events.Count(e => e.Kind == PhotaLogEventKind.HttpExchange));
        Assert.Empty(t.OutputFiles());
    }

    [Fact]
    public async Task An_expired_download_link_is_a_clear_error_recorded_in_the_journal_with_no_partial_file()
    {
        // Links live 60 ms (scaled), results a day: the job answers, its links do not.
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.DownloadLinkExpiry = TimeSpan.FromSeconds(60); o.JobMilliseconds = 10; });
        using var t = new TestClient(emulator);
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("stale.png")) }, t.OutputOptions);
        await Task.Delay(400);

        var error = await Assert.ThrowsAsync<PhotaApiException>(() => t.Client.ReceiveJobAsync(job.JobId, t.OutputOptions));
        Assert.Equal(ErrorKind.ResultExpired, error.Kind);
        Assert.Equal(410, (int)error.StatusCode);
        Assert.Contains("stale.enhanced.jpg", error.Message);
        Assert.Equal(JournalState.Expired, t.Client.Journal.Find(job.JobId)!.State);
        Assert.Empty(t.OutputFiles());
    }

    [Fact]
    public async Task A_job_that_never_finishes_ends_the_wait_with_a_timeout_and_stays_collectable()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 120_000);
        using var t = new TestClient(emulator, settings: new ClientSettings { JobWaitTimeout = TimeSpan.FromMilliseconds(500) });
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<PhotaException>(() => t.Client.SubmitAndSaveAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("slow.png")) }, t.OutputOptions));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorKind.Timeout, error.Kind);
        Assert.NotNull(error.JobId);
        Assert.Contains("in the journal", error.Message);
        var outstanding = Assert.Single(t.Client.Journal.GetOutstanding());
        Assert.Equal(error.JobId, outstanding.JobId);
        Assert.Equal(JournalState.Submitted, outstanding.State);
    }
}
