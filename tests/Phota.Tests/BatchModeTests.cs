namespace Phota.Tests;

/// <summary>A batch can submit only, or run synchronous calls, with the same concurrency, progress and error rules.</summary>
public class BatchModeTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task Submit_only_yields_each_job_without_waiting_and_lists_them_as_uncollected()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 5000);
        using var t = new TestClient(emulator);
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Mode = BatchMode.SubmitOnly, Concurrency = 2 });
        for (var i = 0; i < 3; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"n{i}.png", seed: i)) }, i));
        }

        batch.Complete();
        var results = await batch.ReadAllAsync().ToListAsync();
        Assert.Equal(3, results.Count);
        Assert.All(results, r => { Assert.True(r.Succeeded); Assert.NotNull(r.Job); Assert.Empty(r.Images); });
        Assert.Equal(3, batch.UncollectedJobs.Count);
        Assert.Empty(t.OutputFiles());
        Assert.All(t.Client.Journal.GetEntries(), e => Assert.Equal(JournalState.Submitted, e.State));
        Assert.All(results, r => Assert.Equal(Path.GetFullPath(t.Output), r.Job!.OutputDirectory));
        Assert.Equal(3, emulator.State.JobsOf(t.Key).Count);
    }

    [Fact]
    public async Task Synchronous_mode_saves_each_items_images_and_journals_nothing()
    {
        using var t = NewClient();
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Mode = BatchMode.Synchronous });
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("s1.png", seed: 1)), NumOutputImages = 2 }));
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("s2.png", seed: 2)), ProfileIds = ["missing"] }));
        batch.Complete();
        var results = await batch.ReadAllAsync().ToListAsync();

        var ok = Assert.Single(results, r => r.Succeeded);
        Assert.Equal(["s1.enhanced.jpg", "s1.enhanced-2.jpg"], ok.Images.Select(i => Path.GetFileName(i.Path)));
        Assert.All(ok.Images, i => Assert.Null(i.JobId));
        var failed = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal(ErrorKind.ProfileNotFound, Assert.IsAssignableFrom<PhotaException>(failed.Error).Kind);
        Assert.Empty(t.Client.Journal.GetEntries());
    }

    [Fact]
    public async Task A_wrong_key_stops_a_submit_only_batch_with_one_fatal_error()
    {
        using var t = NewClient();
        using var wrong = t.Another("wrong-key-for-batch");
        await using var batch = wrong.StartBatch(new BatchOptions { Output = t.OutputOptions, Mode = BatchMode.SubmitOnly, Concurrency = 1 });
        for (var i = 0; i < 3; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"k{i}.png", seed: i)) }));
        }

        batch.Complete();
        var error = await Assert.ThrowsAsync<PhotaApiException>(async () => await batch.ReadAllAsync().ToListAsync());
        Assert.Equal(ErrorKind.InvalidApiKey, error.Kind);
        Assert.Equal(ErrorKind.InvalidApiKey, batch.FatalError!.Kind);
        Assert.Empty(batch.UncollectedJobs);
    }
}
