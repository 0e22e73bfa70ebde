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
            var photo = TestImages.SmallPhoto(work);
            var throughput = new List<ThroughputRow>();
            var diagnostics = new List<ThroughputRow>();
            var upload = new List<UploadRow>();
            DownloadResult? download = null;
            PollingResult? polling = null;

            await using (var emulator = await EmulatorProcess.StartAsync(settings.ServerMs, cancellationToken).ConfigureAwait(false))
            {
                log.WriteLine($"emulator pid {emulator.ProcessId} on {emulator.BaseAddress} (job time {emulator.ServerMs} ms)");
                if (parts.Contains("throughput"))
                {
                    await RunThroughputAsync(emulator, photo, work, throughput, diagnostics, cancellationToken).ConfigureAwait(false);
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
        EmulatorProcess emulator, string photo, string work, List<ThroughputRow> rows, List<ThroughputRow> diagnostics, CancellationToken cancellationToken)
    {
        var bench = new ThroughputBenchmark(emulator, TestImages.SmallPhotos(work, photo, settings.ThroughputN), work);

        // Warm-up (not reported): JIT, connection pools, the emulator's first requests.
        await bench.RunNaiveAsync(2, cancellationToken).ConfigureAwait(false);
        await bench.RunLibraryAsync(4, 4, cancellationToken).ConfigureAwait(false);
        DeleteOutputs(work);

        var n = settings.ThroughputN;
        rows.Add(Report(await bench.RunNaiveAsync(n, cancellationToken).ConfigureAwait(false)));
        DeleteOutputs(work);
        foreach (var concurrency in settings.Concurrencies)
        {
            rows.Add(Report(await bench.RunLibraryAsync(n, concurrency, cancellationToken).ConfigureAwait(false)));
            DeleteOutputs(work);
        }

        // The same batch with a poll schedule matched to the job time: shows what the runner does once the default
        // schedule (first check after 1 s) no longer decides when a finished job is noticed.
        var fast = new[] { TimeSpan.FromMilliseconds(settings.ServerMs), TimeSpan.FromMilliseconds(50) };
        diagnostics.Add(Report(await bench.RunLibraryAsync(n, 8, cancellationToken, fast).ConfigureAwait(false) with
        {
            Variant = "fast_polls",
            Note = "diagnostic: poll schedule shortened via PhotaClientOptions.PollDelays/PollInterval; not the default",
        }));
        DeleteOutputs(work);

        // And with the slot released once the job has finished (downloads overlapped): the design the target needs.
        diagnostics.Add(Report(await bench.RunOverlappedDownloadsAsync(n, 8, fast, cancellationToken).ConfigureAwait(false) with
        {
            Variant = "fast_polls_overlapped_saves",
            Note = "diagnostic: fast polls and downloads overlapped with the next submits (built from SubmitAsync/WaitForJobAsync/ReceiveJobAsync, not BatchRun)",
        }));
        DeleteOutputs(work);
    }

    private async Task<PollingResult> RunPollingAsync(EmulatorProcess shortJobs, string photo, string work, CancellationToken cancellationToken)
    {
        var bench = new PollingBenchmark(photo, work);
        var rows = new List<PollingRow>();
        foreach (var serverMs in settings.PollingServerMs)
        {
            EmulatorProcess? own = null;
            try
            {
                var emulator = serverMs == shortJobs.ServerMs
                    ? shortJobs
                    : own = await EmulatorProcess.StartAsync(serverMs, cancellationToken).ConfigureAwait(false);
                foreach (var hint in new[] { RetryAfterHint.None, RetryAfterHint.Seconds, RetryAfterHint.Milliseconds })
                {
                    var row = await bench.RunAsync(emulator, hint, settings.PollingJobs, cancellationToken).ConfigureAwait(false);
                    log.WriteLine($"polling {serverMs} ms, retry-after {row.RetryAfter}: {row.PollsPerJob} polls/job, noticed {row.MeanDetectDelayMs} ms after completion");
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
        return new PollingResult
        {
            EmulatorSendsRetryAfter = bench.EmulatorSentRetryAfter,
            Rows = rows,
            Note = $"{bench.PendingResponsesSeen} pending/running job responses seen; Retry-After rows add the header in a client-side handler " +
                   "(created_at + job time - now), standing in for a server that announces when a job will be done.",
        };
    }

    private ThroughputRow Report(ThroughputRow row)
    {
        log.WriteLine($"throughput {row.Mode} c={row.Concurrency} n={row.N}: {row.WallMs:0} ms (ideal {row.IdealMs:0}, ratio {row.Ratio:0.00}), {row.RequestsPerS} req/s" +
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
