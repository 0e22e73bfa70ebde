using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Phota.Images;
using Phota.Models;
using Phota.Sessions;
using Phota.Studio;

namespace Phota.Benchmarks;

/// <summary>
/// The child-process side of the upload measurement: one warm-up upload of a small photo (JIT, connection), then
/// one measured async submit of the given file, reporting allocated bytes, peak resident set and CPU time of this
/// process. Each measurement gets a fresh process so an earlier upload's heap cannot hide or inflate a later one.
/// </summary>
internal static class UploadProbe
{
    public const string Verb = "upload-probe";

    public sealed record Measurement(
        long FileBytes, long AllocatedBytes, long PeakBytes, long BaselineBytes, double CpuMs, double WallMs, string PeakMethod,
        int ThreadsBefore, int ThreadsAfter, long GcCommittedBefore, long GcCommittedAfter, string? RssAfter);

    /// <summary>Arguments: base URL, API key, mode (library|naive), file, warm-up file, work directory.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine("usage: upload-probe <base-url> <api-key> <library|naive> <file> <warm-up file> <work directory>");
            return 2;
        }

        var (baseUrl, apiKey, mode, file, warmup, work) = (new Uri(args[0]), args[1], args[2], args[3], args[4], args[5]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        Func<string, Task> upload = mode switch
        {
            "library" => LibraryUpload(baseUrl, apiKey, work, timeout.Token),
            "naive" => NaiveUpload(baseUrl, apiKey, timeout.Token),
            _ => throw new ArgumentException($"Unknown mode '{mode}'."),
        };

        await upload(warmup).ConfigureAwait(false);
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        var process = Process.GetCurrentProcess();
        var threadsBefore = process.Threads.Count;
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        using var memory = MemoryProbe.Start();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();

        await upload(file).ConfigureAwait(false);

        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var peak = memory.Peak();
        process.Refresh();
        var result = new Measurement(new FileInfo(file).Length, allocatedBytes, peak, memory.Baseline, cpuMs, wall, memory.Method,
            threadsBefore, process.Threads.Count, committedBefore, GC.GetGCMemoryInfo().TotalCommittedBytes, MemoryProbe.RssBreakdown());
        Console.Out.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>The library's path: check the file, then an async submit whose body is streamed from the file.</summary>
    private static Func<string, Task> LibraryUpload(Uri baseUrl, string apiKey, string work, CancellationToken cancellationToken)
    {
        var client = new PhotaClient(new PhotaSession(apiKey, baseUrl), new PhotaClientOptions
        {
            JournalPath = Path.Combine(work, $"journal-upload-{Environment.ProcessId}.jsonl"),
        });
        return async path =>
        {
            var job = await client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(path), OutputFormat = OutputFormat.Jpg }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (string.IsNullOrEmpty(job.JobId))
            {
                throw new InvalidOperationException("The submit returned no job id.");
            }
        };
    }

    /// <summary>The naive path: read all bytes, base64 them, serialize the whole request, send it (async submit).</summary>
    private static Func<string, Task> NaiveUpload(Uri baseUrl, string apiKey, CancellationToken cancellationToken)
    {
        var naive = new NaiveClient(baseUrl, apiKey);
        return async path =>
        {
            using var response = await naive.EnhanceAsync(path, asynchronous: true, cancellationToken).ConfigureAwait(false);
            if (!response.RootElement.TryGetProperty("job_id", out _))
            {
                throw new InvalidOperationException("The submit returned no job id.");
            }
        };
    }
}
