using System.Diagnostics;
using System.Globalization;

namespace Phota.Benchmarks.Scale;

/// <summary>
/// The scale part: job lookups against journals of 0, 10,000 and 100,000 finished jobs, a compaction of a 100,000-job
/// journal, and a 10,000-photo pipeline against a 1,000-photo one. Every measurement runs in a fresh child process
/// (<see cref="ScaleProbe"/>) making the library calls the cmdlets make, so each peak working set is its own.
/// </summary>
internal static class ScaleBenchmark
{
    public const string Verb = "scale";
    private const double Mb = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var run = new RunArguments(["journal", "compaction", "pipeline"]);
        for (var i = 0; i < args.Length; i++)
        {
            if (!run.TryRead(args, ref i))
            {
                Console.Error.WriteLine("""
                    usage: scale [--quick] [--json results.json] [--check] [--only journal,compaction,pipeline]
                      --quick  journals of 0 and 10,000 jobs, pipelines of 200 and 1,000 photos (same shape, minutes less)
                      --check  exit with code 3 when a target is missed
                    """);
                return 2;
            }
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(run.Quick ? 15 : 45));
        var results = await RunAsync(run.Quick, run.Parts, Console.Out, limit.Token).ConfigureAwait(false);
        Write(results, Console.Out);
        return await run.FinishAsync(results, results.Targets.Any(t => !t.Met)).ConfigureAwait(false);
    }

    private static async Task<ScaleResults> RunAsync(bool quick, ISet<string> parts, TextWriter log, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Collect(quick);
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("phota-scale-").FullName;
        int[] journalSizes = quick ? [0, 10_000] : [0, 10_000, 100_000];
        int[] photoCounts = quick ? [200, 1_000] : [1_000, 10_000];
        const int Rounds = 7, ProcessesPerJournal = 5, Concurrency = 16, PipelineJobMs = 100;
        try
        {
            var journals = new List<JournalRow>();
            var compactions = new List<CompactionTimes>();
            var pipelines = new List<PipelineRow>();
            await using (var emulator = await BenchEmulator.StartAsync(200, cancellationToken).ConfigureAwait(false))
            {
                var synthesizer = await JournalSynthesizer.CaptureAsync(emulator, work, cancellationToken).ConfigureAwait(false);
                log.WriteLine($"emulator on {emulator.BaseAddress}; a journaled job is {synthesizer.BytesPerJob} bytes");
                var now = DateTimeOffset.UtcNow;
                foreach (var size in parts.Contains("journal") ? journalSizes : [])
                {
                    // The worst case for lookups: every job finished within the last day, so none can be compacted away.
                    var path = Path.Combine(work, $"journal-{size}.jsonl");
                    synthesizer.Write(path, size, 0, now.AddHours(-23), now.AddMinutes(-1));
                    var bytes = new FileInfo(path).Length;
                    // The session that wrote this history looked it up too, leaving its saved index beside it.
                    var started = Stopwatch.GetTimestamp();
                    _ = new Jobs.JobJournal(path).Find("none");
                    var firstFold = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
                    // Fresh processes, each timed on its own; the row is the median of each figure (first lookups vary most).
                    var probes = new List<ProbeResult<OpsTimes>>();
                    for (var p = 0; p < ProcessesPerJournal; p++)
                    {
                        probes.Add(await ProbeAsync<OpsTimes>("ops", emulator, path, work, Rounds, 1, cancellationToken).ConfigureAwait(false));
                    }

                    var times = new OpsTimes(
                        Median(probes.Select(p => p.Result.FirstGetMs)), Median(probes.Select(p => p.Result.GetMs)), Median(probes.Select(p => p.Result.SubmitMs)),
                        Median(probes.Select(p => p.Result.WaitReceive4Ms)), Median(probes.Select(p => p.Result.FirstSubmitMs)), Median(probes.Select(p => p.Result.FirstWaitReceive4Ms)));
                    var peak = Median(probes.Select(p => (double)p.PeakWsBytes));
                    var row = new JournalRow { FinishedJobs = size, JournalBytes = bytes, FoldWithoutSavedIndexMs = firstFold, Times = times, PeakWsMb = Math.Round(peak / Mb, 1), Processes = probes.Count };
                    log.WriteLine($"journal {size,7:N0} jobs ({bytes / Mb:0.0} MB, read whole {firstFold} ms): first Get-PhotaJob {row.Times.FirstGetMs} ms, then Get {row.Times.GetMs} ms, submit {row.Times.SubmitMs} ms, 4-job wait/receive {row.Times.WaitReceive4Ms} ms; peak WS {row.PeakWsMb} MB");
                    journals.Add(row);
                    File.Delete(path);
                    File.Delete(path + ".index");
                }

                var largest = journalSizes.Max();
                if (largest > 0 && parts.Contains("compaction"))
                {
                    // A year of a nightly job: everything but the last day's jobs is finished and older than 24 hours.
                    var path = Path.Combine(work, "journal-compact.jsonl");
                    var primed = Path.Combine(work, "journal-compact-primed.jsonl");
                    synthesizer.Write(path, largest, 0, now.AddDays(-365), now.AddMinutes(-1));
                    File.Copy(path, primed);
                    // A new process with only the journal (its index never saved): the slowest case.
                    var cold = (await ProbeAsync<CompactionTimes>("compact", emulator, path, work, 0, 1, cancellationToken).ConfigureAwait(false)).Result;
                    compactions.Add(cold with { SavedIndex = false });
                    // The usual case: the sessions that wrote the journal left its index beside it.
                    _ = new Jobs.JobJournal(primed).PreviewCompaction();
                    var warm = (await ProbeAsync<CompactionTimes>("compact", emulator, primed, work, 0, 1, cancellationToken).ConfigureAwait(false)).Result;
                    compactions.Add(warm with { SavedIndex = true });
                    foreach (var c in compactions)
                    {
                        log.WriteLine($"compaction of {c.JobsBefore:N0} jobs ({c.BytesBefore / Mb:0.0} MB, {(c.SavedIndex ? "with" : "without")} a saved index): {c.CompactMs} ms, {c.JobsRemoved:N0} removed, {c.BytesAfter / Mb:0.00} MB left");
                    }

                    foreach (var file in new[] { path, primed, path + ".index", primed + ".index" })
                    {
                        File.Delete(file);
                    }
                }
            }

            await using (var emulator = await BenchEmulator.StartAsync(PipelineJobMs, cancellationToken).ConfigureAwait(false))
            {
                WritePhotos(work, photoCounts.Max());
                foreach (var count in parts.Contains("pipeline") ? photoCounts : [])
                {
                    var journal = Path.Combine(work, $"journal-pipeline-{count}.jsonl");
                    var probe = await ProbeAsync<PipelineTimes>("pipeline", emulator, journal, work, count, Concurrency, cancellationToken).ConfigureAwait(false);
                    var ideal = Math.Ceiling(count / (double)Concurrency) * PipelineJobMs;
                    var row = new PipelineRow
                    {
                        Run = probe.Result,
                        Concurrency = Concurrency,
                        JobMs = PipelineJobMs,
                        IdealMs = ideal,
                        Ratio = Math.Round(probe.Result.WallMs / ideal, 2),
                        PeakWsMb = Math.Round(probe.PeakWsBytes / Mb, 1),
                    };
                    log.WriteLine($"pipeline {count,6:N0} photos: {row.Run.Saved:N0} saved, {row.Run.Failed} failed, {row.Run.WallMs / 1000:0.0} s (ideal {ideal / 1000:0.0} s, x{row.Ratio}), longest gap between progress updates {row.Run.LongestProgressGapMs} ms; peak WS {row.PeakWsMb} MB");
                    pipelines.Add(row);
                    Directory.Delete(Path.Combine(work, $"pipeline-out-{count}"), recursive: true);
                }
            }

            machine.DurationS = Math.Round(clock.Elapsed.TotalSeconds, 1);
            machine.LoadAvgEnd = MachineInfo.LoadAverage();
            return new ScaleResults
            {
                Machine = machine,
                Method = "in-process library calls, the same the cmdlets make, each measurement in a fresh child process of this executable",
                Journals = journals,
                Compactions = compactions,
                Pipelines = pipelines,
                Targets = Evaluate(journals, compactions, pipelines),
            };
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void WritePhotos(string work, int count) => TestImages.Copies(work, JournalSynthesizer.TinyPhoto(work, "tiny.jpg", 5), count);

    private static Task<ProbeResult<T>> ProbeAsync<T>(string mode, BenchEmulator emulator, string journal, string work, int count, int concurrency, CancellationToken cancellationToken)
        => Probe.RunAsync<ProbeResult<T>>(ScaleProbe.Verb,
            [mode, emulator.BaseAddress.AbsoluteUri, emulator.ApiKey, journal, work, count.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture)],
            Timeout.InfiniteTimeSpan, BenchmarkResults.JsonOptions, cancellationToken);

    private sealed record ProbeResult<T>(T Result, long PeakWsBytes, string PeakMethod);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);
    }

    /// <summary>The issue's targets: lookups flat in time and memory, compaction under 2 s, 10,000 photos in flat memory.</summary>
    private static List<ScaleTarget> Evaluate(List<JournalRow> journals, List<CompactionTimes> compactions, List<PipelineRow> pipelines)
    {
        var targets = new List<ScaleTarget>();
        var empty = journals.FirstOrDefault(j => j.FinishedJobs == 0);
        foreach (var row in journals.Where(j => j.FinishedJobs > 0 && empty is not null))
        {
            void Time(string op, double baseMs, double ms)
            {
                var limit = 1.5 * baseMs + 50;
                targets.Add(new ScaleTarget($"{op}, {row.FinishedJobs:N0}-job journal", $"<= {limit:0.0} ms (1.5 x {baseMs} + 50)", $"{ms} ms", ms <= limit));
            }

            Time("Get-PhotaJob (first in process)", empty!.Times.FirstGetMs, row.Times.FirstGetMs);
            Time("Get-PhotaJob", empty.Times.GetMs, row.Times.GetMs);
            Time("submit", empty.Times.SubmitMs, row.Times.SubmitMs);
            Time("4-job Wait | Receive", empty.Times.WaitReceive4Ms, row.Times.WaitReceive4Ms);
            var extra = Math.Round(row.PeakWsMb - empty.PeakWsMb, 1);
            targets.Add(new ScaleTarget($"peak WS, {row.FinishedJobs:N0}-job journal", "<= +30 MB", $"{extra:+0.0;-0.0} MB", extra <= 30));
        }

        foreach (var c in compactions)
        {
            targets.Add(new ScaleTarget($"compaction of {c.JobsBefore:N0} jobs ({(c.SavedIndex ? "with" : "without")} a saved index)", "< 2000 ms", $"{c.CompactMs} ms", c.CompactMs < 2000));
        }

        if (pipelines.Count == 2)
        {
            var (small, large) = (pipelines[0], pipelines[1]);
            targets.Add(new ScaleTarget($"{large.Run.Photos:N0} photos saved", $"{large.Run.Photos:N0}", $"{large.Run.Saved:N0} ({large.Run.FilesSaved:N0} files)", large.Run.Saved == large.Run.Photos && large.Run.FilesSaved == large.Run.Photos));
            var extra = Math.Round(large.PeakWsMb - small.PeakWsMb, 1);
            targets.Add(new ScaleTarget($"peak WS, {large.Run.Photos:N0} vs {small.Run.Photos:N0} photos", "<= +60 MB", $"{extra:+0.0;-0.0} MB", extra <= 60));
            targets.Add(new ScaleTarget($"progress throughout {large.Run.Photos:N0} photos", "an update at least every 1000 ms", $"longest gap {large.Run.LongestProgressGapMs} ms", large.Run.LongestProgressGapMs <= 1000));
        }

        return targets;
    }

    private static void Write(ScaleResults results, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Scale ({results.Method}); load {results.Machine.LoadAvgStart} -> {results.Machine.LoadAvgEnd}, {results.Machine.Cores} cores, {results.Machine.DurationS} s");
        foreach (var t in results.Targets)
        {
            output.WriteLine($"  [{(t.Met ? "met" : "MISSED")}] {t.Name}: {t.Measured} (target {t.Limit})");
        }
    }
}
