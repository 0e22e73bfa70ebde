using System.Diagnostics;
using System.Reflection;
using System.Text;
using Phota.Jobs;

namespace Phota.Benchmarks;

/// <summary>
/// What a durable journal append costs in the submit path, on the disk the throughput run used. At concurrency 8 the
/// jobs of a round finish together, so eight submits write their intent records at the same moment; the library
/// writes one whole line and fsyncs it per call under one lock, so the eighth caller waits for eight fsyncs. This
/// times the library's own <c>JobJournal.Append</c> (internal; called by reflection, the benchmark's only such use)
/// alone and eight at once, and the same eight callers against a group-commit model: one writer takes every line
/// queued while the previous fsync ran, writes them together and fsyncs once, and each caller returns only when its
/// own line is on disk.
/// </summary>
internal static class JournalProbe
{
    public static JournalProbeResult? Run(string directory, int rounds, int callers)
    {
        var append = typeof(JobJournal).GetMethod("Append", BindingFlags.Instance | BindingFlags.NonPublic);
        var recordType = typeof(JobJournal).Assembly.GetType("Phota.Jobs.JournalRecord");
        if (append is null || recordType is null)
        {
            return null;
        }

        var path = Path.Combine(directory, $"journal-probe-{Guid.NewGuid():N}.jsonl");
        var journal = new JobJournal(path);
        object Record(int i)
        {
            var record = Activator.CreateInstance(recordType)!;
            recordType.GetProperty("Type")!.SetValue(record, "intent");
            recordType.GetProperty("Time")!.SetValue(record, DateTimeOffset.UtcNow);
            recordType.GetProperty("ClientRequestId")!.SetValue(record, $"phota-ps-probe-{i:000000}-{Guid.NewGuid():N}");
            recordType.GetProperty("Operation")!.SetValue(record, "enhance");
            recordType.GetProperty("Inputs")?.SetValue(record, new List<string> { Path.Combine(directory, "photos", $"photo-{i % 1000:0000}.jpg") });
            return record;
        }

        void Library(int i) => append.Invoke(journal, [Record(i), true]);

        try
        {
            // Warm-up: JIT, the file and its lock file exist.
            for (var i = 0; i < 5; i++)
            {
                Library(i);
            }

            var single = new List<double>();
            for (var i = 0; i < rounds * 2; i++)
            {
                var t = Stopwatch.GetTimestamp();
                Library(i);
                single.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var together = Concurrent(rounds, callers, Library);
            var model = new GroupCommitModel(path + ".group");
            var grouped = Concurrent(rounds, callers, i => model.Append(Encoding.UTF8.GetBytes($"{{\"type\":\"intent\",\"client_request_id\":\"probe-{i}\"}}\n")));
            return new JournalProbeResult
            {
                Directory = directory,
                Callers = callers,
                Rounds = rounds,
                SingleAppendP50Ms = Percentile(single, 0.5),
                SingleAppendP90Ms = Percentile(single, 0.9),
                LibraryMeanWaitMs = Math.Round(together.Select(r => r.Mean).Average(), 2),
                LibraryLastDoneMs = Math.Round(together.Select(r => r.Max).Average(), 2),
                GroupCommitMeanWaitMs = Math.Round(grouped.Select(r => r.Mean).Average(), 2),
                GroupCommitLastDoneMs = Math.Round(grouped.Select(r => r.Max).Average(), 2),
                GroupCommitFsyncsPerRound = Math.Round(model.Fsyncs / (double)rounds, 2),
            };
        }
        finally
        {
            foreach (var file in Directory.GetFiles(directory, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary><paramref name="callers"/> threads released at once, each appending one record; per round the mean and the last completion, ms.</summary>
    private static List<(double Mean, double Max)> Concurrent(int rounds, int callers, Action<int> appendOne)
    {
        var results = new List<(double, double)>();
        for (var round = 0; round < rounds; round++)
        {
            using var go = new ManualResetEventSlim();
            var done = new double[callers];
            var threads = Enumerable.Range(0, callers).Select(c => new Thread(() =>
            {
                go.Wait();
                var t = Stopwatch.GetTimestamp();
                appendOne(round * callers + c);
                done[c] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            })).ToList();
            threads.ForEach(t => t.Start());
            Thread.Sleep(5);
            go.Set();
            threads.ForEach(t => t.Join());
            results.Add((done.Average(), done.Max()));
        }

        return results;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 3);
    }

    /// <summary>
    /// Group commit as the journal could do it: callers queue their line and wait; whichever caller finds no commit
    /// running becomes the committer, takes everything queued, and under the same cross-process lock file writes it
    /// in one call and fsyncs once, then releases every caller whose line that fsync covered.
    /// </summary>
    private sealed class GroupCommitModel(string path)
    {
        private readonly object _gate = new();
        private readonly List<(byte[] Line, ManualResetEventSlim Done)> _queue = [];
        private bool _committing;

        public int Fsyncs { get; private set; }

        public void Append(byte[] line)
        {
            using var done = new ManualResetEventSlim();
            bool commit;
            lock (_gate)
            {
                _queue.Add((line, done));
                // A commit already running (or the next one it starts) covers this line.
                commit = !_committing;
                _committing = true;
            }

            while (commit)
            {
                List<(byte[] Line, ManualResetEventSlim Done)> batch;
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _committing = false;
                        break;
                    }

                    batch = [.. _queue];
                    _queue.Clear();
                }

                using (new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1))
                using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1))
                {
                    var all = batch.SelectMany(b => b.Line).ToArray();
                    stream.Write(all, 0, all.Length);
                    stream.Flush(flushToDisk: true);
                    Fsyncs++;
                }

                batch.ForEach(b => b.Done.Set());
            }

            done.Wait();
        }
    }
}

internal sealed record JournalProbeResult
{
    public required string Directory { get; init; }

    /// <summary>Appenders released at once per round (the throughput run's concurrency).</summary>
    public required int Callers { get; init; }

    public required int Rounds { get; init; }

    /// <summary>One durable append of an intent record by the library, alone.</summary>
    public required double SingleAppendP50Ms { get; init; }

    public required double SingleAppendP90Ms { get; init; }

    /// <summary>The library, <see cref="Callers"/> at once: mean time to each caller's line on disk, and to the last one.</summary>
    public required double LibraryMeanWaitMs { get; init; }

    public required double LibraryLastDoneMs { get; init; }

    /// <summary>The group-commit model, the same callers: mean and last, and fsyncs per round.</summary>
    public required double GroupCommitMeanWaitMs { get; init; }

    public required double GroupCommitLastDoneMs { get; init; }

    public required double GroupCommitFsyncsPerRound { get; init; }
}
