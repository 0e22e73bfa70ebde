using System.Collections.Concurrent;
using System.Diagnostics;
using Phota.Batches;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.Sessions;
using Phota.Studio;

namespace Phota.Benchmarks;

/// <summary>
/// N enhance operations of one small photo, each saved to disk: the library's batch runner at several
/// concurrencies, and the naive loop (synchronous API calls, one after another, body serialized afresh each time).
/// </summary>
internal sealed class ThroughputBenchmark(EmulatorProcess emulator, string photo, string workDirectory)
{
    public async Task<ThroughputRow> RunLibraryAsync(int n, int concurrency, CancellationToken cancellationToken, IReadOnlyList<TimeSpan>? pollDelays = null)
    {
        var tally = new RequestTally();
        var options = new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-c{concurrency}-{Guid.NewGuid():N}.jsonl"),
            Log = tally.Record,
            PollDelays = pollDelays ?? PhotaClientOptions.Default.PollDelays,
            PollInterval = pollDelays is { Count: > 0 } ? pollDelays[^1] : PhotaClientOptions.Default.PollInterval,
        };
        var output = Path.Combine(workDirectory, $"out-library-c{concurrency}-{Guid.NewGuid():N}");
        using var client = new PhotaClient(new PhotaSession(emulator.ApiKey, emulator.BaseAddress), options);
        var stages = new ConcurrentDictionary<BatchItem, long[]>();
        var input = ImageInput.FromFile(photo);

        var serverCpu = emulator.CpuTime;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await using var batch = client.StartBatch(new BatchOptions
        {
            Concurrency = concurrency,
            Output = new OutputOptions { Directory = output },
            OnStage = (item, stage) =>
            {
                var times = stages.GetOrAdd(item, _ => new long[4]);
                var index = stage switch
                {
                    StudioStage.Submitting => 0,
                    StudioStage.Waiting => 1,
                    StudioStage.Downloading => 2,
                    StudioStage.Done => 3,
                    _ => -1,
                };
                if (index >= 0)
                {
                    times[index] = Stopwatch.GetTimestamp();
                }
            },
        }, cancellationToken);
        for (var i = 0; i < n; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = input, OutputFormat = OutputFormat.Jpg }, State: i));
        }

        batch.Complete();
        var failed = 0;
        string? firstError = null;
        await foreach (var result in batch.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!result.Succeeded)
            {
                failed++;
                firstError ??= result.Error?.Message;
            }
        }

        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var clientCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalMilliseconds;
        var serverCpuMs = (emulator.CpuTime - serverCpu).TotalMilliseconds;
        var saved = Directory.Exists(output) ? Directory.GetFiles(output, "*.jpg").Length : 0;
        if (saved != n - failed)
        {
            throw new InvalidOperationException($"The batch reported {n - failed} successes but {saved} files are on disk.");
        }

        var done = stages.Values.Where(t => t[3] != 0).ToList();
        static double Mean(IEnumerable<double> values) => values.DefaultIfEmpty(0).Average();
        var ideal = Math.Ceiling(n / (double)concurrency) * emulator.ServerMs;
        return new ThroughputRow
        {
            Mode = "library",
            Concurrency = concurrency,
            N = n,
            ServerMs = emulator.ServerMs,
            WallMs = Math.Round(wall, 1),
            IdealMs = ideal,
            Ratio = Math.Round(wall / ideal, 3),
            RequestsPerS = Math.Round((n - failed) / (wall / 1000), 2),
            Failed = failed,
            HttpRequestsPerItem = Math.Round(tally.Total / (double)n, 2),
            PollsPerJob = Math.Round(tally.Polls / (double)n, 2),
            MeanSubmitMs = Math.Round(Mean(done.Select(t => Ms(t[0], t[1]))), 1),
            MeanWaitMs = Math.Round(Mean(done.Select(t => Ms(t[1], t[2]))), 1),
            MeanDownloadMs = Math.Round(Mean(done.Select(t => Ms(t[2], t[3]))), 1),
            ClientCpuMs = Math.Round(clientCpuMs),
            ServerCpuMs = Math.Round(serverCpuMs),
            PollSchedule = pollDelays is null ? null : string.Join(",", pollDelays.Select(d => d.TotalMilliseconds)) + " ms, then every " + pollDelays[^1].TotalMilliseconds + " ms",
            Note = firstError is null ? null : "first error: " + firstError,
        };
    }

    public async Task<ThroughputRow> RunNaiveAsync(int n, CancellationToken cancellationToken)
    {
        var output = Path.Combine(workDirectory, $"out-naive-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        using var naive = new NaiveClient(emulator.BaseAddress, emulator.ApiKey);
        var serverCpu = emulator.CpuTime;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var requests = 0;
        for (var i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var response = await naive.EnhanceAsync(photo, asynchronous: false, cancellationToken).ConfigureAwait(false);
            requests += 1 + await naive.SaveResultsAsync(response, output, $"small-enhanced-{i + 1}", cancellationToken).ConfigureAwait(false);
        }

        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var ideal = (double)n * emulator.ServerMs;
        return new ThroughputRow
        {
            Mode = "naive",
            Concurrency = 1,
            N = n,
            ServerMs = emulator.ServerMs,
            WallMs = Math.Round(wall, 1),
            IdealMs = ideal,
            Ratio = Math.Round(wall / ideal, 3),
            RequestsPerS = Math.Round(n / (wall / 1000), 2),
            HttpRequestsPerItem = Math.Round(requests / (double)n, 2),
            ClientCpuMs = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalMilliseconds),
            ServerCpuMs = Math.Round((emulator.CpuTime - serverCpu).TotalMilliseconds),
        };
    }

    private static double Ms(long from, long to) => from == 0 || to == 0 ? 0 : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
