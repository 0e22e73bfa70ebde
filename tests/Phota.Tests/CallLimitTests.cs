namespace Phota.Tests;

/// <summary>A time limit given with the call wins over the session's and the client's.</summary>
public class CallLimitTests
{
    [Fact]
    public async Task A_synchronous_calls_own_limit_wins_over_the_session_timeout()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.TimeScale = 1; o.JobMilliseconds = 600; });
        using var t = new TestClient(emulator);
        var input = ImageInput.FromFile(t.Image("s.png"));
        using var shortSession = new PhotaClient(new PhotaSession(t.Key, emulator.BaseAddress) { Timeout = TimeSpan.FromMilliseconds(150) }, t.Options);

        var saved = await shortSession.SendSynchronousAndSaveAsync(new EnhanceRequest { Image = input }, t.OutputOptions, null, TimeSpan.FromSeconds(20));
        Assert.Single(saved);

        using var longSession = new PhotaClient(new PhotaSession(t.Key, emulator.BaseAddress) { Timeout = TimeSpan.FromSeconds(20) }, t.Options);
        var error = await Assert.ThrowsAsync<PhotaException>(() =>
            longSession.SendSynchronousAsync(new EnhanceRequest { Image = input }, null, TimeSpan.FromMilliseconds(150)));
        Assert.Equal(ErrorKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task A_call_limit_longer_than_the_overall_timeout_is_not_cut_short()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => { o.TimeScale = 1; o.JobMilliseconds = 600; });
        using var t = new TestClient(emulator, settings: new ClientSettings { OverallTimeout = TimeSpan.FromMilliseconds(200) });
        var response = await t.Client.SendSynchronousAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("o.png")) }, null, TimeSpan.FromSeconds(20));
        Assert.Single(response.Value.DownloadUrls);
    }

    [Fact]
    public async Task A_job_wait_limit_per_call_and_per_batch_replaces_the_clients()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 3000);
        using var t = new TestClient(emulator);
        var job = await t.Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("w.png")) }, t.OutputOptions);
        var error = await Assert.ThrowsAsync<PhotaException>(() => t.Client.WaitForJobAsync(job.JobId, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ErrorKind.Timeout, error.Kind);
        Assert.Equal(job.JobId, error.JobId);

        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, WaitTimeout = TimeSpan.FromMilliseconds(100) });
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("b.png")) }));
        batch.Complete();
        var result = Assert.Single(await batch.ReadAllAsync().ToListAsync());
        Assert.Equal(ErrorKind.Timeout, Assert.IsAssignableFrom<PhotaException>(result.Error).Kind);
    }
}
