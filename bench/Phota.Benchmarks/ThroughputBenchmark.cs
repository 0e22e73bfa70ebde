using System.Collections.Concurrent;
using System.Diagnostics;
using Phota.Batches;
using Phota.Images;
using Phota.Jobs;
using Phota.Models;
using Phota.Studio;

namespace Phota.Benchmarks;

/// <summary>
/// N enhance operations of small photos (distinct files of the same size), each saved to disk: the library's batch runner at several
/// concurrencies, and the naive loop (synchronous API calls, one after another, body serialized afresh each time).
/// </summary>
internal sealed class ThroughputBenchmark(BenchEmulator emulator, IReadOnlyList<string> photos, string workDirectory)
{
    /// <summary>The library's job polling before it learned run times: check at once, then after 1, 1, 2, 2, 3, 5 s, then every 5 s.</summary>
    public const string FixedScheduleMode = "fixed-schedule";

    /// <summary>
    /// The library's batch runner with its default options, or (<paramref name="mode"/> <see cref="FixedScheduleMode"/>)
    /// with the poller the library had before: the fixed schedule, a 50 ms floor under a server hint, no ceiling.
    /// <paramref name="journalDirectory"/> moves the journal (e.g. to a memory file system, where an fsync costs
    /// nothing) for a diagnostic.
    /// </summary>
    public async Task<ThroughputRow> RunLibraryAsync(int n, int concurrency, CancellationToken cancellationToken, string? journalDirectory = null, string mode = "library")
    {
        var fixedSchedule = mode == FixedScheduleMode;
        var tally = new RequestTally(fixedSchedule ? TimeSpan.FromMilliseconds(50) : PhotaClientOptions.Default.MinPollDelay);
        var journal = Path.Combine(journalDirectory ?? workDirectory, $"journal-c{concurrency}-{Guid.NewGuid():N}.jsonl");
        var options = fixedSchedule
            ? new PhotaClientOptions
            {
                JournalPath = journal,
                Log = tally.Record,
                PollSchedule = PollSchedule.Fixed(
                    [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)],
                    TimeSpan.FromSeconds(5)),
                MinPollDelay = TimeSpan.FromMilliseconds(50),
                MaxPollsPerSecond = 0,
            }
            : new PhotaClientOptions { JournalPath = journal, Log = tally.Record };
        var output = Path.Combine(workDirectory, $"out-library-c{concurrency}-{Guid.NewGuid():N}");
        var timeline = new StageTimeline();
        var results = new List<BatchItemResult>(n);
        double wall;
        long started, ended;
        CpuWindow cpu;
        try
        {
            using var client = emulator.Client(options);
            cpu = CpuWindow.Start(emulator);
            started = Stopwatch.GetTimestamp();
            await using var batch = client.StartBatch(new BatchOptions
            {
                Concurrency = concurrency,
                Output = new OutputOptions { Directory = output },
                OnStage = timeline.OnStage,
            }, cancellationToken);
            for (var i = 0; i < n; i++)
            {
                batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(photos[i % photos.Count]), OutputFormat = OutputFormat.Jpg }, State: i));
            }

            batch.Complete();
            await foreach (var result in batch.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                results.Add(result);
            }

            ended = Stopwatch.GetTimestamp();
            wall = Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds;
            cpu = cpu.Stop(emulator);
        }
        finally
        {
            if (journalDirectory is not null)
            {
                foreach (var file in Directory.GetFiles(journalDirectory, $"journal-c{concurrency}-*"))
                {
                    File.Delete(file);
                }
            }
        }

        var failed = results.Count(r => !r.Succeeded);
        var firstError = results.FirstOrDefault(r => !r.Succeeded)?.Error?.Message;
        CheckEverySuccessSaved(results, output, n - failed);

        // The server's own timestamps of each job, read back after the clock has stopped (not part of the run).
        var server = await ReadServerTimesAsync(results.Where(r => r.Succeeded && r.Job is not null).ToList(), timeline, cancellationToken).ConfigureAwait(false);
        var stages = timeline.Breakdown(server, n, concurrency, started, ended, tally);
        var ideal = server.Count == n - failed ? IdealMakespan(server, concurrency) : Math.Ceiling(n / (double)concurrency) * emulator.ServerMs;
        var done = timeline.Finished;
        return cpu.Apply(ThroughputRow.Measured(mode, concurrency, n, n - failed, wall, ideal, emulator) with
        {
            Failed = failed,
            HttpRequestsPerItem = Math.Round(tally.Total / (double)n, 2),
            PollsPerJob = Math.Round(tally.Polls / (double)n, 2),
            MeanSubmitMs = Math.Round(Mean(done.Select(t => StageTimeline.Ms(t[0], t[1]))), 1),
            MeanWaitMs = Math.Round(Mean(done.Select(t => StageTimeline.Ms(t[1], t[2]))), 1),
            MeanDownloadMs = Math.Round(Mean(done.Select(t => StageTimeline.Ms(t[2], t[3]))), 1),
            Stages = stages,
            Note = firstError is null ? null : "first error: " + firstError,
        });
    }

    /// <summary>
    /// The wall time of a perfect client: each job's actual server run time (<c>completed_at - created_at</c>), in
    /// submission order, each started on the first of <paramref name="concurrency"/> slots to come free, with no time
    /// to submit, notice or save. For equal run times this is <c>ceil(n / concurrency) x run time</c>.
    /// </summary>
    internal static double IdealMakespan(IEnumerable<(long[] Times, DateTimeOffset Created, DateTimeOffset Completed)> jobs, int concurrency)
    {
        var slots = new PriorityQueue<double, double>();
        for (var i = 0; i < concurrency; i++)
        {
            slots.Enqueue(0, 0);
        }

        var end = 0.0;
        foreach (var run in jobs.OrderBy(j => j.Created).Select(j => (j.Completed - j.Created).TotalMilliseconds))
        {
            var free = slots.Dequeue() + run;
            end = Math.Max(end, free);
            slots.Enqueue(free, free);
        }

        return Math.Round(end, 1);
    }

    /// <summary>Every success must be its own file: a shortfall means two items were saved under one name.</summary>
    private static void CheckEverySuccessSaved(IReadOnlyList<BatchItemResult> results, string output, int successes)
    {
        var saved = Directory.Exists(output) ? Directory.GetFiles(output, "*.jpg").Length : 0;
        if (saved != successes)
        {
            var shared = results.SelectMany(r => r.Images.Select(i => i.Path)).GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
            throw new InvalidOperationException(
                $"The batch reported {successes} successes but {saved} files are on disk; {shared.Count} paths were reported for more than one item" +
                (shared.Count > 0 ? $", e.g. {Path.GetFileName(shared[0].Key)} x{shared[0].Count()}." : "."));
        }
    }

    private async Task<List<(long[] Times, DateTimeOffset Created, DateTimeOffset Completed)>> ReadServerTimesAsync(
        IReadOnlyList<BatchItemResult> results, StageTimeline timeline, CancellationToken cancellationToken)
    {
        using var reader = emulator.Client(new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-readback-{Guid.NewGuid():N}.jsonl"),
        });
        var times = new ConcurrentBag<(long[], DateTimeOffset, DateTimeOffset)>();
        await Parallel.ForEachAsync(results, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (result, token) =>
        {
            var status = await reader.GetJobAsync(result.Job!.JobId, token).ConfigureAwait(false);
            if (timeline.Of(result.Item) is { } t && t[3] != 0 && status.CompletedAt is { } completed)
            {
                times.Add((t, status.CreatedAt, completed));
            }
        }).ConfigureAwait(false);
        return times.ToList();
    }

    private static double Mean(IEnumerable<double> values) => values.DefaultIfEmpty(0).Average();

    public async Task<ThroughputRow> RunNaiveAsync(int n, CancellationToken cancellationToken)
    {
        var output = Path.Combine(workDirectory, $"out-naive-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        using var naive = new NaiveClient(emulator.BaseAddress, emulator.ApiKey);
        var cpu = CpuWindow.Start(emulator);
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
        cpu = cpu.Stop(emulator);
        // Synchronous jobs cannot be read back: the ideal is n times the mean run time (exact for a fixed time).
        var ideal = (double)n * emulator.ServerMs;
        return cpu.Apply(ThroughputRow.Measured("naive", 1, n, n, wall, ideal, emulator) with
        {
            HttpRequestsPerItem = Math.Round(requests / (double)n, 2),
        });
    }
}
