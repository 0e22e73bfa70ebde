using System.Diagnostics;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.Studio;

namespace Phota.Benchmarks;

/// <summary>How the emulator's pending/running job statuses say when to look again, for one polling row.</summary>
internal enum RetryAfterHint
{
    /// <summary>No hint: the emulator as the API documents it; the client follows its poll schedule.</summary>
    None,
    /// <summary>Only <c>Retry-After</c> in whole seconds (the emulator's, with its <c>retry-after-ms</c> removed on arrival).</summary>
    Seconds,
    /// <summary>An emulator started with <c>--job-retry-after</c>: <c>retry-after-ms</c> with the milliseconds left (and <c>Retry-After</c>).</summary>
    Milliseconds,
}

/// <summary>Requests per job while the client waits, for a short and a longer job, with and without the server's hint.</summary>
internal sealed class PollingBenchmark(string photo, string workDirectory)
{
    public async Task<PollingRow> RunAsync(BenchEmulator emulator, RetryAfterHint hint, int jobs, CancellationToken cancellationToken)
    {
        var tally = new RequestTally();
        var observer = new RetryAfterObserver(keepSecondsOnly: hint == RetryAfterHint.Seconds);
        using var client = emulator.Client(new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-polling-{Guid.NewGuid():N}.jsonl"),
            Log = tally.Record,
            AdditionalHandlers = () => [observer],
        });
        var input = ImageInput.FromFile(photo);
        var output = new OutputOptions { Directory = Path.Combine(workDirectory, $"out-polling-{Guid.NewGuid():N}") };
        var timings = await Task.WhenAll(Enumerable.Range(0, jobs).Select(async _ =>
        {
            long submitted = 0, seen = 0;
            await client.SubmitAndSaveAsync(new EnhanceRequest { Image = input, OutputFormat = OutputFormat.Jpg }, output, (stage, job) =>
            {
                if (stage == StudioStage.Waiting)
                {
                    submitted = Stopwatch.GetTimestamp();
                }
                else if (stage == StudioStage.Downloading)
                {
                    seen = Stopwatch.GetTimestamp();
                }
            }, cancellationToken).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(submitted, seen).TotalMilliseconds;
        })).ConfigureAwait(false);

        return new PollingRow
        {
            ServerMs = emulator.ServerMs,
            RetryAfter = hint switch { RetryAfterHint.Seconds => "seconds", RetryAfterHint.Milliseconds => "ms", _ => "none" },
            Jobs = jobs,
            PollsPerJob = Math.Round(tally.Polls / (double)jobs, 2),
            RequestsPerJob = Math.Round(tally.Total / (double)jobs, 2),
            MeanWaitMs = Math.Round(timings.Average(), 1),
            MeanDetectDelayMs = Math.Round(timings.Average() - emulator.ServerMs, 1),
            PendingResponses = observer.PendingResponses,
            PendingWithHint = observer.PendingWithHint,
        };
    }
}
