namespace Phota.Tests;

/// <summary>Collecting a journaled job reports what the original command would have: source, submit request id, directory.</summary>
public class ReceiveTests(SharedEmulatorFixture fixture) : SharedEmulatorTests(fixture)
{
    [Fact]
    public async Task Collected_images_carry_the_source_and_the_submits_request_id()
    {
        using var t = NewClient();
        var input = t.Image("src.png");
        var enhance = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(input) }, t.OutputOptions);
        var generate = await t.Client.SubmitAsync(new GenerateRequest { Prompt = "a lighthouse at dusk" }, t.OutputOptions);
        Assert.Equal(Path.GetFullPath(t.Output), enhance.OutputDirectory);
        Assert.NotNull(enhance.RequestId);

        var fromEnhance = Assert.Single(await t.Client.CollectAsync(t.Client.Journal.Find(enhance.JobId)!));
        Assert.Equal(input, fromEnhance.Source);
        Assert.Equal(enhance.RequestId, fromEnhance.RequestId);
        Assert.Equal(enhance.RequestId, t.Client.Journal.Find(enhance.JobId)!.RequestId);

        var fromGenerate = Assert.Single(await t.Client.ReceiveJobAsync(generate.JobId, new OutputOptions { Directory = Path.Combine(t.Dir.Path, "elsewhere") }));
        Assert.Equal("a lighthouse at dusk", fromGenerate.Source);
        Assert.Equal(generate.RequestId, fromGenerate.RequestId);
        Assert.StartsWith(Path.Combine(t.Dir.Path, "elsewhere"), fromGenerate.Path);
    }

    [Fact]
    public async Task Collecting_a_job_with_no_recorded_directory_needs_one_and_never_uses_the_process_directory()
    {
        using var t = NewClient();
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("nodir.png")) });
        var entry = t.Client.Journal.Find(job.JobId)!;
        Assert.Null(entry.OutputDirectory);

        var error = await Assert.ThrowsAsync<PhotaInputException>(() => t.Client.CollectAsync(entry));
        Assert.Contains("output directory", error.Message);
        Assert.Empty(Directory.GetFiles(Directory.GetCurrentDirectory(), "nodir.enhanced*"));

        var saved = Assert.Single(await t.Client.CollectAsync(entry, t.OutputOptions));
        Assert.Equal(Path.Combine(Path.GetFullPath(t.Output), "nodir.enhanced.jpg"), saved.Path);
        Assert.Equal(OutputFormat.Jpg, saved.Format);
    }
}

/// <summary>Receiving without waiting: a job still running is a JobNotFinished error and nothing is saved.</summary>
public class ReceiveWithoutWaitTests
{
    [Fact]
    public async Task A_running_job_is_not_finished_and_stays_outstanding()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 3000);
        using var t = new TestClient(emulator);
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("busy.png")) }, t.OutputOptions);

        var error = await Assert.ThrowsAsync<PhotaException>(() => t.Client.ReceiveJobAsync(job.JobId, t.OutputOptions, wait: false));
        Assert.Equal(ErrorKind.JobNotFinished, error.Kind);
        Assert.Equal(job.JobId, error.JobId);
        Assert.Contains(job.JobId, error.Message);
        Assert.Empty(t.OutputFiles());
        Assert.Equal(JournalState.Submitted, t.Client.Journal.Find(job.JobId)!.State);
    }
}
