namespace Phota.Tests;

public class BatchTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task Per_item_failures_do_not_stop_the_others()
    {
        using var t = NewClient();
        var stages = new System.Collections.Concurrent.ConcurrentBag<StudioStage>();
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 3, OnStage = (_, s) => stages.Add(s) });
        for (var i = 0; i < 5; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"ok{i}.png", seed: i)) }, State: $"ok{i}"));
        }

        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("bad-profile.png")), ProfileIds = ["missing"] }, State: "bad-profile"));
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("bad-count.png")), NumOutputImages = 9 }, State: "bad-count"));
        batch.Complete();

        var results = new List<BatchItemResult>();
        await foreach (var r in batch.ReadAllAsync())
        {
            results.Add(r);
        }

        Assert.Equal(7, results.Count);
        Assert.Equal(5, results.Count(r => r.Succeeded));
        Assert.Equal(ErrorKind.ProfileNotFound, ((PhotaException)results.Single(r => (string)r.Item.State! == "bad-profile").Error!).Kind);
        Assert.Equal(ErrorKind.InvalidInput, ((PhotaException)results.Single(r => (string)r.Item.State! == "bad-count").Error!).Kind);
        var progress = batch.GetProgress();
        Assert.Equal((7, 5, 2, 0), (progress.Added, progress.Succeeded, progress.Failed, progress.Queued));
        Assert.Contains(StudioStage.Downloading, stages);
        Assert.Empty(batch.UncollectedJobs);
        Assert.Null(batch.FatalError);
    }

    [Fact]
    public async Task An_authentication_failure_stops_the_whole_batch_with_one_error()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using var t = new TestClient(emulator, "wrong-key-000");
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 2 });
        for (var i = 0; i < 20; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"{i}.png", seed: i)) }));
        }

        batch.Complete();
        var results = new List<BatchItemResult>();
        var error = await Assert.ThrowsAsync<PhotaApiException>(async () =>
        {
            await foreach (var r in batch.ReadAllAsync())
            {
                results.Add(r);
            }
        });
        Assert.Equal(ErrorKind.InvalidApiKey, error.Kind);
        Assert.Empty(results);
        Assert.Same(error, batch.FatalError);
        Assert.True(emulator.State.GetAccount(emulator.ApiKeys[0]).Submits == 0);
    }

    [Fact]
    public async Task Cancelling_a_batch_stops_promptly_and_reports_the_submitted_jobs()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 5000);
        using var t = new TestClient(emulator);
        using var cts = new CancellationTokenSource();
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 3 }, cts.Token);
        for (var i = 0; i < 6; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"c{i}.png", seed: i)) }));
        }

        batch.Complete();
        while (batch.GetProgress().Waiting < 3)
        {
            await Task.Delay(10);
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in batch.ReadAllAsync())
            {
            }
        });
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {stopwatch.Elapsed}");
        Assert.Equal(3, batch.UncollectedJobs.Count);
        Assert.Equal(batch.UncollectedJobs.Select(j => j.JobId).Order(), t.Client.Journal.GetOutstanding().Select(e => e.JobId).Order());
        Assert.Empty(t.OutputFiles());
    }
}
