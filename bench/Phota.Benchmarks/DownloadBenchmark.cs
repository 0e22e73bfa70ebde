using System.Diagnostics;
using System.Text.Json;
using Phota.Jobs;
using Phota.Models;
using Phota.Studio;

namespace Phota.Benchmarks;

/// <summary>
/// A finished job with four 4K outputs: the time and the client's allocations from "save the results" to all four
/// files on disk, for the library and for a naive loop, plus a raw concurrent fetch of the same links that shows
/// how much of the time is the emulator rendering the images.
/// </summary>
internal sealed class DownloadBenchmark(BenchEmulator emulator, string workDirectory)
{
    private const double Mb = 1024 * 1024;

    public async Task<DownloadResult> RunAsync(Resolution resolution, int repeats, CancellationToken cancellationToken)
    {
        var library = new List<DownloadMeasure>();
        var naive = new List<DownloadMeasure>();
        var raw = new List<double>();
        long totalBytes = 0;
        var side = resolution == Resolution.FourK ? 4096 : resolution == Resolution.TwoK ? 2048 : 1024;
        for (var i = 0; i < repeats; i++)
        {
            library.Add(await LibraryAsync(resolution, cancellationToken).ConfigureAwait(false));
            var (measure, urls, bytes) = await NaiveAsync(resolution, cancellationToken).ConfigureAwait(false);
            naive.Add(measure);
            totalBytes = bytes;
            raw.Add(await RawFetchAsync(urls, cancellationToken).ConfigureAwait(false));
        }

        return new DownloadResult
        {
            Outputs = 4,
            Width = side,
            Height = side,
            Format = "jpg",
            TotalMb = Math.Round(totalBytes / Mb, 2),
            Repeats = repeats,
            Library = Median(library),
            Naive = Median(naive),
            RawFetchMs = Math.Round(raw.Order().ElementAt(raw.Count / 2), 1),
            Note = "The emulator renders each image when its link is fetched; raw_fetch_ms is that render plus loopback transfer, with nothing written.",
        };
    }

    private GenerateRequest Request(Resolution resolution) => new()
    {
        Prompt = "a lighthouse at dusk, four variations",
        NumOutputImages = 4,
        Resolution = resolution,
        AspectRatio = AspectRatio.Parse("1:1"),
        OutputFormat = OutputFormat.Jpg,
    };

    private async Task<DownloadMeasure> LibraryAsync(Resolution resolution, CancellationToken cancellationToken)
    {
        var tally = new RequestTally();
        using var client = emulator.Client(new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-download-{Guid.NewGuid():N}.jsonl"),
            Log = tally.Record,
        });
        var job = await client.SubmitAsync(Request(resolution), cancellationToken: cancellationToken).ConfigureAwait(false);
        await client.WaitForJobAsync(job.JobId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var before = tally.Total;
        var output = Path.Combine(workDirectory, $"out-download-{Guid.NewGuid():N}");

        // Receive checks the job once more (one GET) and downloads the four outputs concurrently to temporary files.
        var (wall, allocated, cpu, saved) = await MeasureAsync(async () =>
            (await client.ReceiveJobAsync(job.JobId, new OutputOptions { Directory = output }, cancellationToken).ConfigureAwait(false)).Count).ConfigureAwait(false);
        if (saved != 4 || Directory.GetFiles(output, "*.jpg").Length != 4)
        {
            throw new InvalidOperationException($"Expected 4 saved files, got {saved}.");
        }

        return new DownloadMeasure { WallMs = wall, AllocatedMb = allocated, CpuMs = cpu, HttpRequests = tally.Total - before };
    }

    private async Task<(DownloadMeasure Measure, List<string> Urls, long Bytes)> NaiveAsync(Resolution resolution, CancellationToken cancellationToken)
    {
        using var client = emulator.Client(new PhotaClientOptions
        {
            JournalPath = Path.Combine(workDirectory, $"journal-download-{Guid.NewGuid():N}.jsonl"),
        });
        var job = await client.SubmitAsync(Request(resolution), cancellationToken: cancellationToken).ConfigureAwait(false);
        await client.WaitForJobAsync(job.JobId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var output = Path.Combine(workDirectory, $"out-download-naive-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        using var naive = new NaiveClient(emulator.BaseAddress, emulator.ApiKey);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", emulator.ApiKey);
        var urls = new List<string>();

        // Invoke-RestMethod on the job, then Invoke-WebRequest -OutFile for each link, one after another.
        var (wall, allocated, cpu, saved) = await MeasureAsync(async () =>
        {
            var text = await http.GetStringAsync($"v1/phota/jobs/{job.JobId}", cancellationToken).ConfigureAwait(false);
            using var status = JsonDocument.Parse(text);
            var result = status.RootElement.GetProperty("result");
            urls.AddRange(result.GetProperty("download_urls").EnumerateArray().Select(u => u.GetString()!));
            using var response = JsonDocument.Parse(result.GetRawText());
            return await naive.SaveResultsAsync(response, output, "lighthouse", cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        if (saved != 4)
        {
            throw new InvalidOperationException($"Expected 4 saved files, got {saved}.");
        }

        var bytes = Directory.GetFiles(output).Sum(f => new FileInfo(f).Length);
        return (new DownloadMeasure { WallMs = wall, AllocatedMb = allocated, CpuMs = cpu, HttpRequests = 1 + saved }, urls, bytes);
    }

    private static async Task<double> RawFetchAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(urls.Select(async url =>
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<(double WallMs, double AllocatedMb, double CpuMs, int Result)> MeasureAsync(Func<Task<int>> action)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var result = await action().ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Mb;
        process.Refresh();
        return (Math.Round(wall, 1), Math.Round(allocatedMb, 2), Math.Round((process.TotalProcessorTime - cpu).TotalMilliseconds), result);
    }

    private static DownloadMeasure Median(List<DownloadMeasure> measures)
    {
        static double Mid(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        return new DownloadMeasure
        {
            WallMs = Mid(measures.Select(m => m.WallMs)),
            AllocatedMb = Mid(measures.Select(m => m.AllocatedMb)),
            CpuMs = Mid(measures.Select(m => m.CpuMs)),
            HttpRequests = measures[0].HttpRequests,
        };
    }
}
