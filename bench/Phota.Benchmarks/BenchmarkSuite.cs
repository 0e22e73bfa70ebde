using System.Diagnostics;

namespace Phota.Benchmarks;

/// <summary>Runs the four measurements in order against emulator processes and collects the results document.</summary>
internal sealed class BenchmarkSuite(BenchSettings settings, ISet<string> parts, TextWriter log)
{
    private const long Mb = 1024 * 1024;

    public async Task<BenchmarkResults> RunAsync(CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Collect(settings.Quick);
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("phota-bench-").FullName;
        try
        {
            // A small photo (640 x 480 JPEG, tens of KB), as used for the throughput runs.
            var photo = TestImages.SyntheticJpegFile(work, "small-640x480.jpg", 640, 480, seed: 7);
            var throughput = new List<ThroughputRow>();
            var diagnostics = new List<ThroughputRow>();
            var upload = new List<UploadRow>();
            DownloadResult? download = null;
            JournalProbeResult? journalProbe = null;
            PollingResult? polling = null;

            // The fixed-time rows run with the emulator's poll hint (--job-retry-after), as they always have: the hinted
            // case must stay as fast. The no-hint rows on varied job times are what the documented API gives.
            await using (var emulator = await BenchEmulator.StartAsync(settings.ServerMs, cancellationToken, jobRetryAfter: true).ConfigureAwait(false))
            {
                log.WriteLine($"emulator pid {emulator.ProcessId} on {emulator.BaseAddress} (job time {emulator.ServerMs} ms, poll hint on)");
                if (parts.Contains("throughput"))
                {
                    await RunThroughputAsync(emulator, photo, work, throughput, diagnostics, cancellationToken).ConfigureAwait(false);
                    await RunWithoutHintAsync(photo, work, throughput, cancellationToken).ConfigureAwait(false);
                    journalProbe = JournalProbe.Run(work, settings.Quick ? 10 : 30, callers: 8);
                    if (journalProbe is { } j)
                    {
                        log.WriteLine($"journal: one durable append {j.SingleAppendP50Ms} ms (p50); 8 at once: last done after {j.LibraryLastDoneMs} ms, group commit {j.GroupCommitLastDoneMs} ms ({j.GroupCommitFsyncsPerRound} fsyncs)");
                    }
                }

                if (parts.Contains("upload"))
                {
                    var bench = new UploadBenchmark(emulator, photo, work);
                    foreach (var size in settings.UploadMb)
                    {
                        var file = TestImages.PaddedJpeg(work, size * Mb);
                        foreach (var mode in new[] { "library", "naive" })
                        {
                            var row = await bench.RunAsync(mode, file, settings.UploadRepeats, cancellationToken).ConfigureAwait(false);
                            log.WriteLine($"upload {mode} {size} MB: allocated {row.AllocatedMb} MB, peak {row.PeakWsMb} MB, {row.CpuMsPerMb} CPU ms/MB");
                            upload.Add(row);
                        }

                        File.Delete(file);
                    }
                }

                if (parts.Contains("download"))
                {
                    download = await new DownloadBenchmark(emulator, work).RunAsync(settings.DownloadResolution, settings.DownloadRepeats, cancellationToken).ConfigureAwait(false);
                    log.WriteLine($"download: library {download.Library.WallMs} ms / {download.Library.AllocatedMb} MB allocated, naive {download.Naive.WallMs} ms / {download.Naive.AllocatedMb} MB");
                    DeleteOutputs(work);
                }

                if (parts.Contains("polling"))
                {
                    polling = await RunPollingAsync(emulator, photo, work, cancellationToken).ConfigureAwait(false);
                }
            }

            machine.DurationS = Math.Round(clock.Elapsed.TotalSeconds, 1);
            machine.LoadAvgEnd = MachineInfo.LoadAverage();
            return new BenchmarkResults
            {
                Throughput = throughput,
                Upload = upload,
                Download = download,
                Polling = polling,
                Machine = machine,
                Targets = Targets.Evaluate(throughput, upload),
                ThroughputDiagnostics = diagnostics,
                JournalProbe = journalProbe,
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

    private async Task RunThroughputAsync(
        BenchEmulator emulator, string photo, string work, List<ThroughputRow> rows, List<ThroughputRow> diagnostics, CancellationToken cancellationToken)
    {
        var bench = new ThroughputBenchmark(emulator, TestImages.Copies(work, photo, settings.ThroughputN), work);

        // Warm-up (not reported): JIT, connection pools, the emulator's first requests.
        await bench.RunNaiveAsync(2, cancellationToken).ConfigureAwait(false);
        await bench.RunLibraryAsync(4, 4, cancellationToken).ConfigureAwait(false);
        DeleteOutputs(work);

        var n = settings.ThroughputN;
        rows.Add(Report(await bench.RunNaiveAsync(settings.NaiveN ?? n, cancellationToken).ConfigureAwait(false)));
        DeleteOutputs(work);
        foreach (var concurrency in settings.Concurrencies)
        {
            rows.Add(Report(await bench.RunLibraryAsync(n, concurrency, cancellationToken).ConfigureAwait(false)));
            DeleteOutputs(work);
        }

        // Diagnostics at concurrency 8 (not targets): where the distance from the ideal comes from.
        // The bare protocol with nothing of the library: the floor for any client on this machine and emulator.
        diagnostics.Add(Report(await new ProtocolFloor(emulator, photo, work).RunAsync(n, 8, cancellationToken).ConfigureAwait(false)));
        DeleteOutputs(work);

        // The same with a poll aimed 5 ms after the server's hint: what polling exactly on the hint costs when the timer fires early.
        if (settings.AllDiagnostics)
        {
            diagnostics.Add(Report(await new ProtocolFloor(emulator, photo, work).RunAsync(n, 8, cancellationToken, TimeSpan.FromMilliseconds(5)).ConfigureAwait(false)));
            DeleteOutputs(work);
        }

        // The library with its journal on a memory file system, where the two fsyncs per submit cost almost nothing.
        if (settings.AllDiagnostics && Directory.Exists("/dev/shm"))
        {
            var shm = Directory.CreateDirectory(Path.Combine("/dev/shm", $"phota-bench-{Environment.ProcessId}")).FullName;
            try
            {
                diagnostics.Add(Report(await bench.RunLibraryAsync(n, 8, cancellationToken, journalDirectory: shm).ConfigureAwait(false) with
                {
                    Variant = "journal_on_tmpfs",
                    Note = "diagnostic: the journal file on /dev/shm (tmpfs), so its fsyncs are nearly free; everything else as the library row",
                }));
            }
            finally
            {
                Directory.Delete(shm, recursive: true);
            }

            DeleteOutputs(work);
        }

        // The library against a server that does not say when a job will be done (as documented): its schedule decides.
        if (settings.AllDiagnostics)
        {
            await using var silent = await BenchEmulator.StartAsync(settings.ServerMs, cancellationToken).ConfigureAwait(false);
            var quiet = new ThroughputBenchmark(silent, TestImages.Copies(work, photo, n), work);
            await quiet.RunLibraryAsync(4, 4, cancellationToken).ConfigureAwait(false);
            diagnostics.Add(Report(await quiet.RunLibraryAsync(n, 8, cancellationToken).ConfigureAwait(false) with
            {
                Variant = "no_server_hint",
                Note = "diagnostic: emulator without --job-retry-after (as the API documents); the library's adaptive schedule decides",
            }));
            DeleteOutputs(work);
        }
    }

    /// <summary>
    /// What users of the documented API see: no poll hint, job times drawn from a range (same seed every run). Per
    /// range, the library and the fixed schedule at concurrency 8, each on a fresh emulator with the same seed (the
    /// same job times), and on the first range the naive loop.
    /// </summary>
    private async Task RunWithoutHintAsync(string photo, string work, List<ThroughputRow> rows, CancellationToken cancellationToken)
    {
        var photos = TestImages.Copies(work, photo, settings.VariedN);
        foreach (var (min, max) in settings.VariedJobMs)
        {
            foreach (var mode in new[] { "library", ThroughputBenchmark.FixedScheduleMode })
            {
                await using var emulator = await BenchEmulator.StartAsync(min, cancellationToken, jobMsMax: max).ConfigureAwait(false);
                rows.Add(Report(await new ThroughputBenchmark(emulator, photos, work).RunLibraryAsync(settings.VariedN, 8, cancellationToken, mode: mode).ConfigureAwait(false)));
                DeleteOutputs(work);
            }

            if ((min, max) == settings.VariedJobMs[0])
            {
                await using var emulator = await BenchEmulator.StartAsync(min, cancellationToken, jobMsMax: max).ConfigureAwait(false);
                rows.Add(Report(await new ThroughputBenchmark(emulator, photos, work).RunNaiveAsync(settings.VariedNaiveN, cancellationToken).ConfigureAwait(false)));
                DeleteOutputs(work);
            }
        }
    }

    private async Task<PollingResult> RunPollingAsync(BenchEmulator hinting, string photo, string work, CancellationToken cancellationToken)
    {
        var bench = new PollingBenchmark(photo, work);
        var rows = new List<PollingRow>();
        foreach (var serverMs in settings.PollingServerMs)
        {
            BenchEmulator? own = null;
            try
            {
                var withHint = serverMs == hinting.ServerMs
                    ? hinting
                    : own = await BenchEmulator.StartAsync(serverMs, cancellationToken, jobRetryAfter: true).ConfigureAwait(false);
                await using var withoutHint = await BenchEmulator.StartAsync(serverMs, cancellationToken).ConfigureAwait(false);
                foreach (var hint in new[] { RetryAfterHint.None, RetryAfterHint.Seconds, RetryAfterHint.Milliseconds })
                {
                    var emulator = hint == RetryAfterHint.None ? withoutHint : withHint;
                    var row = await bench.RunAsync(emulator, hint, settings.PollingJobs, cancellationToken).ConfigureAwait(false);
                    log.WriteLine($"polling {serverMs} ms, retry-after {row.RetryAfter}: {row.PollsPerJob} polls/job, noticed {row.MeanDetectDelayMs} ms after completion ({row.PendingWithHint} of {row.PendingResponses} pending answers hinted)");
                    rows.Add(row);
                }
            }
            finally
            {
                if (own is not null)
                {
                    await own.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        DeleteOutputs(work);
        var hinted = rows.Where(r => r.RetryAfter != "none").ToList();
        return new PollingResult
        {
            // A row whose jobs were all done at their first check saw no pending answer to carry a hint.
            EmulatorSendsRetryAfter = hinted.Sum(r => r.PendingResponses) > 0 && hinted.All(r => r.PendingWithHint == r.PendingResponses),
            Rows = rows,
            Note = "none: the emulator as documented (no hint); ms: emulator with --job-retry-after (retry-after-ms, and Retry-After rounded up to whole seconds); " +
                   "seconds: the same emulator with retry-after-ms removed on arrival, as from a server that sends only Retry-After.",
        };
    }

    private ThroughputRow Report(ThroughputRow row)
    {
        log.WriteLine($"throughput {row.Mode}{(row.Variant is null ? string.Empty : " " + row.Variant)} c={row.Concurrency} n={row.N} job {row.JobMs?[0]}-{row.JobMs?[1]} ms{(row.ServerHint ? " hint" : string.Empty)}: {row.WallMs:0} ms (ideal {row.IdealMs:0}, ratio {row.Ratio:0.00}), {row.PollsPerJob} polls/job, {row.RequestsPerS} req/s" +
                      (row.Failed > 0 ? $", {row.Failed} failed ({row.Note})" : string.Empty));
        return row;
    }

    private static void DeleteOutputs(string work)
    {
        foreach (var directory in Directory.GetDirectories(work, "out-*"))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
