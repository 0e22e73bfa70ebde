using Xunit.Abstractions;

namespace Phota.Reliability.Tests;

/// <summary>
/// The emulator process killed (SIGKILL) in the middle of a batch and started again on the same address with its
/// state file, as the real service keeps its jobs across its own restarts.
/// </summary>
[Collection(HeavyCollection.Name)]
public class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_kill_and_restart_mid_batch_every_item_is_reported_and_collecting_the_journal_finishes_every_job_once()
    {
        using var dir = new TempDir();
        var stateFile = Path.Combine(dir.Path, "emulator-state.json");
        using var emulator = await EmulatorProcess.StartAsync("--state-file", stateFile, "--job-ms", "300", "--credit", "100");
        using var t = new TestClient(emulator.BaseAddress, emulator.ApiKey, new ClientSettings { MaxRetries = 3 });

        const int items = 30;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var results = new List<BatchItemResult>();
        await using (var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 6 }, limit.Token))
        {
            for (var i = 0; i < items; i++)
            {
                batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image($"r{i:D2}.png", seed: i)) }, i));
            }

            batch.Complete();
            await foreach (var r in batch.ReadAllAsync(limit.Token))
            {
                results.Add(r);
                if (results.Count == 8)
                {
                    emulator.Kill();
                    _ = Task.Run(async () =>
                    {
                        await Task.Delay(1000);
                        await emulator.StartAgainAsync();
                    });
                }
            }
        }

        // The batch reported every item: a result, or an error that says what happened.
        Assert.Equal(items, results.Count);
        var failed = results.Where(r => !r.Succeeded).ToList();
        output.WriteLine($"{items - failed.Count} items saved during the batch, {failed.Count} reported errors:");
        foreach (var f in failed)
        {
            var error = Assert.IsAssignableFrom<PhotaException>(f.Error);
            output.WriteLine($"  item {f.Item.State}: {error.Kind}: {error.Message}");
            // Never NotFound: the emulator saves an accepted job before it answers, so no acknowledged job is lost.
            Assert.True(error.Kind is ErrorKind.Unreachable or ErrorKind.ServiceUnavailable or ErrorKind.JobFailed or ErrorKind.Timeout,
                error.ToString());
        }

        Assert.NotEmpty(failed);

        // Wait until the restarted emulator answers, then collect everything outstanding (Get-PhotaJob | Receive-PhotaJob).
        await WaitUntilUpAsync(t.Client, limit.Token);
        var collectErrors = new List<PhotaException>();
        foreach (var entry in t.Client.Journal.GetOutstanding())
        {
            try
            {
                await t.Client.CollectAsync(entry, cancellationToken: limit.Token);
            }
            catch (PhotaException e)
            {
                output.WriteLine($"  collect {entry.JobId ?? entry.ClientRequestId}: {e.Kind}: {e.Message}");
                collectErrors.Add(e);
            }
        }

        var account = await emulator.AccountAsync();
        var serverJobs = account.GetProperty("jobs").GetInt32();
        var serverFailed = account.GetProperty("jobs_failed").GetInt32();
        var entries = t.Client.Journal.GetEntries();
        output.WriteLine($"server: {serverJobs} jobs ({serverFailed} failed); journal: {entries.Count} entries; collect errors: {collectErrors.Count}");

        // Every job the server has was collected once: one file per successful job, none twice, none partial.
        Assert.Equal(serverJobs - serverFailed, entries.Count(e => e.State == JournalState.Downloaded));
        Assert.Equal(serverJobs - serverFailed, t.OutputFiles("*.jpg").Length);
        Assert.Empty(t.OutputFiles("*.partial-*"));
        Assert.All(t.OutputFiles(), f => Assert.Null(TestImages.JpegProblem(File.ReadAllBytes(f))));
        Assert.True(serverJobs <= items, $"{serverJobs} jobs for {items} items: something was submitted twice.");

        // No job was lost: every item is a server job, except submits that certainly never reached the server
        // (refused or never connected while it was down), which the journal records as failed and never resubmits.
        Assert.DoesNotContain(collectErrors, e => e.Kind == ErrorKind.NotFound);
        Assert.All(collectErrors, e => Assert.Equal(ErrorKind.JobFailed, e.Kind));
        var neverSent = entries.Count(e => e.State == JournalState.Failed && e.JobId is null);
        output.WriteLine($"submits that never reached the server: {neverSent}");
        Assert.Equal(items, serverJobs + neverSent);

        // Money: charged exactly for the jobs the server kept and did not fail.
        Assert.Equal(100m - 0.12m * (serverJobs - serverFailed), account.GetProperty("balance_usd").GetDecimal());
    }

    private static async Task WaitUntilUpAsync(PhotaClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await client.TestConnectionAsync(cancellationToken);
                return;
            }
            catch (PhotaException e) when (e.Kind == ErrorKind.Unreachable)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
