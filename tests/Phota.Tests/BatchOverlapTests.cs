using System.Collections.Concurrent;

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
        var events = new ConcurrentQueue<string>();
        using var t = new TestClient(emulator, settings: new ClientSettings { Handlers = () => [new RecordingHandler(events)] });
        await using var batch = t.Client.StartBatch(new BatchOptions { Output = t.OutputOptions, Concurrency = 1 });
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("first.png", seed: 1)) }));
        batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.Image("second.png", seed: 2)) }));
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
