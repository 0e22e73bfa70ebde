using System.Diagnostics;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.Sessions;
using Phota.Studio;

namespace Phota.Benchmarks;

/// <summary>
/// Requests per job while the client waits, for a short and a longer job, with the emulator as it is and with a
/// Retry-After that says exactly when the job will be done.
/// </summary>
internal sealed class PollingBenchmark(string photo, string workDirectory)
{
    private int _pendingResponses;
    private int _pendingWithRetryAfter;

    public bool EmulatorSentRetryAfter => Volatile.Read(ref _pendingWithRetryAfter) > 0;

    public int PendingResponsesSeen => Volatile.Read(ref _pendingResponses);

    public async Task<PollingRow> RunAsync(EmulatorProcess emulator, RetryAfterHint hint, int jobs, CancellationToken cancellationToken)
    {
        var tally = new RequestTally();
        using var client = new PhotaClient(new PhotaSession(emulator.ApiKey, emulator.BaseAddress), new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-polling-{Guid.NewGuid():N}.jsonl"),
            Log = tally.Record,
            AdditionalHandlers = () => [new RetryAfterHintHandler(hint, emulator.ServerMs, Observe)],
        });
        var input = ImageInput.FromFile(photo);
        var output = new OutputOptions { Directory = Path.Combine(workDirectory, $"out-polling-{Guid.NewGuid():N}") };
        var timings = await Task.WhenAll(Enumerable.Range(0, jobs).Select(async _ =>
        {
            long submitted = 0, seen = 0;
            await client.RunAsync(new EnhanceRequest { Image = input, OutputFormat = OutputFormat.Jpg }, output, (stage, job) =>
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
        };
    }

    private void Observe(bool hadRetryAfter)
    {
        Interlocked.Increment(ref _pendingResponses);
        if (hadRetryAfter)
        {
            Interlocked.Increment(ref _pendingWithRetryAfter);
        }
    }
}
