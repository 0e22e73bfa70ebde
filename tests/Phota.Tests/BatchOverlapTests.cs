using System.Collections.Concurrent;
using Phota.Batches;
using Phota.Images;
using Phota.Sessions;
using Phota.Studio;
using Phota.Testing;

namespace Phota.Tests;

/// <summary>A batch slot covers submitting and the server's work; saving a finished job runs beside the next job.</summary>
public sealed class BatchOverlapTests
{
    /// <summary>Records the order of submits and download completions, and slows downloads down.</summary>
    private sealed class RecordingHandler(ConcurrentQueue<string> events) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Post && path == "/v1/phota/enhance")
            {
                events.Enqueue("submit");
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (path.StartsWith("/_emulator/files/", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(800), cancellationToken).ConfigureAwait(false);
                events.Enqueue("downloaded");
            }

            return response;
        }
    }

    [Fact]
    public async Task With_one_slot_the_next_job_is_submitted_while_the_previous_result_is_still_downloading()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.JobMilliseconds = 100);
        using var dir = new TempDir();
        var events = new ConcurrentQueue<string>();
        var fast = TestClient.FastOptions(Path.Combine(dir.Path, "journal.jsonl"));
        var options = new PhotaClientOptions
        {
            RetryBaseDelay = fast.RetryBaseDelay, PollSchedule = fast.PollSchedule, MinPollDelay = fast.MinPollDelay, MaxPollsPerSecond = fast.MaxPollsPerSecond,
            JournalPath = fast.JournalPath, AdditionalHandlers = () => [new RecordingHandler(events)],
        };
        using var client = new PhotaClient(new PhotaSession(emulator.ApiKeys[0], emulator.BaseAddress), options);
        await using var batch = client.StartBatch(new BatchOptions { Output = new() { Directory = Path.Combine(dir.Path, "out") }, Concurrency = 1 });
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(dir.File("first.png", TestImages.Png(32, 32, 1))) }));
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(dir.File("second.png", TestImages.Png(32, 32, 2))) }));
        batch.Complete();

        var results = new List<BatchItemResult>();
        await foreach (var result in batch.ReadAllAsync())
        {
            results.Add(result);
        }

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(2, results.Count);
        // The second submit does not wait for the first result's (slow) download.
        Assert.Equal(["submit", "submit", "downloaded", "downloaded"], events.ToArray());
    }
}
