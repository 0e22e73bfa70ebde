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
/// N enhance operations of small photos (distinct files of the same size), each saved to disk: the library's batch runner at several
/// concurrencies, and the naive loop (synchronous API calls, one after another, body serialized afresh each time).
/// </summary>
internal sealed class ThroughputBenchmark(EmulatorProcess emulator, IReadOnlyList<string> photos, string workDirectory)
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
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(photos[i % photos.Count]), OutputFormat = OutputFormat.Jpg }, State: i));
        }

        batch.Complete();
        var failed = 0;
        string? firstError = null;
        var savedPaths = new List<string>();
        await foreach (var result in batch.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            savedPaths.AddRange(result.Images.Select(image => image.Path));
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
            // Every success must be its own file: a shortfall means two items were saved under one name.
            var shared = savedPaths.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            throw new InvalidOperationException(
                $"The batch reported {n - failed} successes but {saved} files are on disk; {shared.Count} paths were reported for more than one item" +
                (shared.Count > 0 ? $", e.g. {Path.GetFileName(shared[0].Key)} x{shared[0].Count()}." : "."));
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

    /// <summary>
    /// A what-if built from the client's public calls, not the batch runner: each of <paramref name="concurrency"/>
    /// workers submits and waits, then hands the finished job to a separate download stage (same width) and submits its
    /// next item at once, so saving results overlaps the next jobs' server time. It shows what the runner would reach
    /// if a slot were held only while a job runs on the server.
    /// </summary>
    public async Task<ThroughputRow> RunOverlappedDownloadsAsync(int n, int concurrency, IReadOnlyList<TimeSpan> pollDelays, CancellationToken cancellationToken)
    {
        var tally = new RequestTally();
        var options = new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-overlap-{Guid.NewGuid():N}.jsonl"),
            Log = tally.Record,
            PollDelays = pollDelays,
            PollInterval = pollDelays[^1],
        };
        var output = new OutputOptions { Directory = Path.Combine(workDirectory, $"out-overlap-{Guid.NewGuid():N}") };
        using var client = new PhotaClient(new PhotaSession(emulator.ApiKey, emulator.BaseAddress), options);
        using var downloadSlots = new SemaphoreSlim(concurrency);
        var downloads = new ConcurrentBag<Task<int>>();
        var next = -1;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var serverCpu = emulator.CpuTime;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var request = new EnhanceRequest { Image = ImageInput.FromFile(photos[i % photos.Count]), OutputFormat = OutputFormat.Jpg };
                var job = await client.SubmitAsync(request, output, cancellationToken).ConfigureAwait(false);
                await client.WaitForJobAsync(job.JobId, cancellationToken: cancellationToken).ConfigureAwait(false);
                downloads.Add(Task.Run(async () =>
                {
                    await downloadSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        return (await client.ReceiveJobAsync(job.JobId, output, cancellationToken).ConfigureAwait(false)).Count;
                    }
                    finally
                    {
                        downloadSlots.Release();
                    }
                }, cancellationToken));
            }
        }, cancellationToken))).ConfigureAwait(false);
        var saved = (await Task.WhenAll(downloads).ConfigureAwait(false)).Sum();
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (saved != n || Directory.GetFiles(output.Directory, "*.jpg").Length != n)
        {
            throw new InvalidOperationException($"The overlapped run saved {saved} of {n} results.");
        }

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
            RequestsPerS = Math.Round(n / (wall / 1000), 2),
            HttpRequestsPerItem = Math.Round(tally.Total / (double)n, 2),
            PollsPerJob = Math.Round(tally.Polls / (double)n, 2),
            ClientCpuMs = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalMilliseconds),
            ServerCpuMs = Math.Round((emulator.CpuTime - serverCpu).TotalMilliseconds),
            PollSchedule = string.Join(",", pollDelays.Select(d => d.TotalMilliseconds)) + " ms, then every " + pollDelays[^1].TotalMilliseconds + " ms",
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
            var photo = photos[i % photos.Count];
            using var response = await naive.EnhanceAsync(photo, asynchronous: false, cancellationToken).ConfigureAwait(false);
            requests += 1 + await naive.SaveResultsAsync(response, output, Path.GetFileNameWithoutExtension(photo) + ".enhanced", cancellationToken).ConfigureAwait(false);
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
