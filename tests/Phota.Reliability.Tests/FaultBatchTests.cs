using System.Diagnostics;
using Xunit.Abstractions;

namespace Phota.Reliability.Tests;

/// <summary>A 500-item batch while the emulator answers 30% of submits and polls with 503 + Retry-After and aborts 5% of connections mid-response.</summary>
[Collection(HeavyCollection.Name)]
public class FaultBatchTests(ITestOutputHelper output)
{
    private const int Items = 500;
    private const decimal Price = 0.12m;

    [Fact]
    public async Task Every_item_of_a_500_item_batch_ends_once_with_whole_files_and_exact_charges_under_503s_and_aborts()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.Fault503Rate = 0.3;
            // Milliseconds (retry-after-ms) rather than whole seconds, so the retries cost little wall time.
            o.FaultRetryAfterMs = 20;
            o.FaultAbortRate = 0.05;
            o.FaultSeed = 7;
            o.JobMilliseconds = 30;
            o.CreditUsd = 1000m;
        });
        using var t = new TestClient(emulator, settings: new ClientSettings { MaxRetries = 12, OverallTimeout = TimeSpan.FromSeconds(90) });
        var before = emulator.State.BalanceOf(t.Key);
        var outputsWanted = new Dictionary<string, int>(StringComparer.Ordinal);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var clock = Stopwatch.StartNew();
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 32 }, limit.Token);
        for (var i = 0; i < Items; i++)
        {
            var name = $"photo-{i:D3}";
            var count = i % 5 == 0 ? 2 : 1;
            outputsWanted[name] = count;
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image(name + ".png", seed: i)), NumOutputImages = count }, name));
        }

        batch.Complete();
        var results = new List<BatchItemResult>();
        await foreach (var r in batch.ReadAllAsync())
        {
            results.Add(r);
        }

        clock.Stop();
        var retries = t.Events.Count(e => e.Kind == PhotaLogEventKind.Retry);
        var exchanges = t.Events.Count(e => e.Kind == PhotaLogEventKind.HttpExchange);
        output.WriteLine($"{Items} items in {clock.Elapsed.TotalSeconds:0.0} s: {exchanges} HTTP attempts, {retries} retries, {results.Count(r => !r.Succeeded)} item errors");

        // Every item ends exactly once: a result or a clear error of its own.
        Assert.Equal(Items, results.Count);
        Assert.Equal(Items, results.Select(r => (string)r.Item.State!).Distinct().Count());
        foreach (var failed in results.Where(r => !r.Succeeded))
        {
            var error = Assert.IsAssignableFrom<PhotaException>(failed.Error);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            output.WriteLine($"{failed.Item.State}: {error.Kind}: {error.Message}");
        }

        Assert.True(results.Count(r => r.Succeeded) >= Items - 5, "Nearly every item should survive the injected faults.");
        Assert.True(retries > 100, $"The faults should have caused many retries, saw {retries}.");

        // No job submitted twice: one server job per journaled client_request_id, all of them journaled.
        var serverJobs = emulator.State.JobsOf(t.Key);
        var journal = t.Client.Journal.GetEntries();
        Assert.Equal(serverJobs.Count, serverJobs.Select(j => j.ClientRequestId).Distinct().Count());
        Assert.All(serverJobs, j => Assert.Contains(journal, e => e.ClientRequestId == j.ClientRequestId && e.JobId == j.JobId));
        Assert.Equal(results.Count(r => r.Succeeded), serverJobs.Count(j => journal.Single(e => e.ClientRequestId == j.ClientRequestId).State == JournalState.Downloaded));

        // Charged to the cent for exactly the jobs that exist, priced from what was asked for.
        var stemOf = journal.ToDictionary(e => e.ClientRequestId, e => e.OutputStem!);
        var expectedCost = serverJobs.Sum(j => Price * outputsWanted[stemOf[j.ClientRequestId!].Replace(".enhanced", string.Empty, StringComparison.Ordinal)]);
        Assert.Equal(before - expectedCost, emulator.State.BalanceOf(t.Key));
        Assert.Equal(Items, serverJobs.Count(j => !j.Refunded));

        // Whole files only: the right number per item, each a complete JPEG, nothing partial left.
        foreach (var ok in results.Where(r => r.Succeeded))
        {
            var name = (string)ok.Item.State!;
            Assert.Equal(outputsWanted[name], ok.Images.Count);
            foreach (var image in ok.Images)
            {
                var bytes = await File.ReadAllBytesAsync(image.Path);
                Assert.True(bytes.Length > 200, $"{image.Path} is only {bytes.Length} bytes.");
                Assert.Null(TestImages.JpegProblem(bytes));
                Assert.StartsWith(name + ".enhanced", Path.GetFileName(image.Path), StringComparison.Ordinal);
            }
        }

        Assert.Equal(results.Where(r => r.Succeeded).Sum(r => r.Images.Count), t.OutputFiles().Length);
        Assert.Empty(t.OutputFiles("*.partial-*"));
    }
}
