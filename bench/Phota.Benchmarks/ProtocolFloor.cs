using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Phota.Benchmarks;

/// <summary>
/// The same protocol as the library's batch, with nothing else: one request body built once before the clock starts,
/// <paramref name="concurrency"/> workers that POST it (async), poll the job at once and then as
/// <c>retry-after-ms</c> says (at least 50 ms, as the library), and hand each finished job to a save stage of the
/// same width that streams its result to a file. No journal, no checks, no logging. What it reaches on this machine,
/// against this emulator, is the floor any client could reach here; the library's distance from it is the library's
/// own cost.
/// </summary>
internal sealed class ProtocolFloor(BenchEmulator emulator, string photo, string workDirectory)
{
    private static readonly TimeSpan MinPollDelay = TimeSpan.FromMilliseconds(50);

    /// <param name="hintMargin">
    /// Added to every <c>retry-after-ms</c>. Zero polls exactly when the server says, as the library does; a few ms
    /// keeps a poll from landing just before completion when the timer fires early (a timer fires up to its ~4 ms tick
    /// early), which the 50 ms floor would otherwise turn into 50 ms of lateness.
    /// </param>
    public async Task<ThroughputRow> RunAsync(int n, int concurrency, CancellationToken cancellationToken, TimeSpan hintMargin = default)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["image"] = Convert.ToBase64String(await File.ReadAllBytesAsync(photo, cancellationToken).ConfigureAwait(false)),
            ["output_format"] = "jpg",
            ["response_mode"] = "urls",
            ["async"] = true,
        }));
        var output = Directory.CreateDirectory(Path.Combine(workDirectory, $"out-floor-{Guid.NewGuid():N}")).FullName;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = emulator.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Add("X-API-Key", emulator.ApiKey);
        var saves = Channel.CreateBounded<string>(concurrency);
        var next = -1;
        var polls = 0;
        var floored = 0;
        var anchorUtc = DateTimeOffset.UtcNow;
        var anchor = Stopwatch.GetTimestamp();
        // Per job: submit start, POST answered, finished job seen, and the server's created_at and completed_at.
        var timings = new System.Collections.Concurrent.ConcurrentBag<(long Start, long Posted, long Seen, DateTimeOffset Created, DateTimeOffset Completed)>();
        var cpu = CpuWindow.Start(emulator);
        var started = Stopwatch.GetTimestamp();
        var workers = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < n)
            {
                var start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                string jobId;
                using (var submit = await http.PostAsync("v1/phota/enhance", content, cancellationToken).ConfigureAwait(false))
                {
                    submit.EnsureSuccessStatusCode();
                    using var handle = JsonDocument.Parse(await submit.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                    jobId = handle.RootElement.GetProperty("job_id").GetString()!;
                }

                var posted = Stopwatch.GetTimestamp();

                while (true)
                {
                    Interlocked.Increment(ref polls);
                    using var poll = await http.GetAsync("v1/phota/jobs/" + jobId, cancellationToken).ConfigureAwait(false);
                    poll.EnsureSuccessStatusCode();
                    using var status = JsonDocument.Parse(await poll.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                    if (status.RootElement.GetProperty("status").GetString() == "succeeded")
                    {
                        var url = status.RootElement.GetProperty("result").GetProperty("download_urls")[0].GetString()!;
                        timings.Add((start, posted, Stopwatch.GetTimestamp(),
                            status.RootElement.GetProperty("created_at").GetDateTimeOffset(), status.RootElement.GetProperty("completed_at").GetDateTimeOffset()));
                        await saves.Writer.WriteAsync(url, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                    var asked = poll.Headers.TryGetValues("retry-after-ms", out var values)
                        && double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                        ? TimeSpan.FromMilliseconds(ms) + hintMargin : TimeSpan.FromSeconds(1);
                    if (asked < MinPollDelay)
                    {
                        Interlocked.Increment(ref floored);
                        asked = MinPollDelay;
                    }

                    await Task.Delay(asked, cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken))).ContinueWith(t => saves.Writer.TryComplete(t.Exception), TaskScheduler.Default);
        var saved = 0;
        var savers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var url in saves.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var index = Interlocked.Increment(ref saved);
                await using var source = await http.GetStreamAsync(url, cancellationToken).ConfigureAwait(false);
                await using var file = new FileStream(Path.Combine(output, $"photo-{index:0000}.enhanced.jpg"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken)).ToArray();
        await workers.ConfigureAwait(false);
        await Task.WhenAll(savers).ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        cpu = cpu.Stop(emulator);
        if (Directory.GetFiles(output, "*.jpg").Length != n)
        {
            throw new InvalidOperationException($"The protocol floor saved {saved} of {n} results.");
        }

        DateTimeOffset Utc(long t) => anchorUtc + Stopwatch.GetElapsedTime(anchor, t);
        var lead = timings.Select(t => (t.Created - Utc(t.Start)).TotalMilliseconds).Order().ToList();
        var detect = timings.Select(t => (Utc(t.Seen) - t.Completed).TotalMilliseconds).Order().ToList();
        static double Mean(IEnumerable<double> v) => Math.Round(v.DefaultIfEmpty(0).Average(), 2);
        static double P90(List<double> v) => v.Count == 0 ? 0 : Math.Round(v[Math.Min(v.Count - 1, (int)Math.Ceiling(0.9 * v.Count) - 1)], 2);
        var submit = Mean(timings.Select(t => Stopwatch.GetElapsedTime(t.Start, t.Posted).TotalMilliseconds));
        var ideal = Math.Ceiling(n / (double)concurrency) * emulator.ServerMs;
        return cpu.Apply(ThroughputRow.Measured("floor", concurrency, n, n, wall, ideal, emulator) with
        {
            Variant = hintMargin > TimeSpan.Zero ? "protocol_floor_hint_margin" : "protocol_floor",
            HttpRequestsPerItem = Math.Round((2 * n + polls) / (double)n, 2),
            PollsPerJob = Math.Round(polls / (double)n, 2),
            MeanSubmitMs = submit,
            Stages = new StageBreakdown
            {
                Rounds = (int)Math.Ceiling(n / (double)concurrency),
                MeanSlotMs = Mean(timings.Select(t => Stopwatch.GetElapsedTime(t.Start, t.Seen).TotalMilliseconds)),
                MeanSubmitMs = submit,
                MeanLeadMs = Mean(lead),
                P90LeadMs = P90(lead),
                MeanServerWorkMs = Mean(timings.Select(t => (t.Completed - t.Created).TotalMilliseconds)),
                MeanAckMs = Mean(timings.Select(t => (Utc(t.Posted) - t.Created).TotalMilliseconds)),
                MeanDetectMs = Mean(detect),
                P90DetectMs = P90(detect),
                StartMs = Math.Round(Stopwatch.GetElapsedTime(started, timings.Min(t => t.Start)).TotalMilliseconds, 1),
                TailMs = Math.Round(wall - Stopwatch.GetElapsedTime(started, timings.Max(t => t.Seen)).TotalMilliseconds, 1),
                PollWaits = polls - n,
                FlooredPollWaits = floored,
                JobsTimed = timings.Count,
            },
            Note = "diagnostic, not the library: the bare protocol (body built once, no journal, no checks) with the library's concurrency, polling and save stage" +
                   (hintMargin > TimeSpan.Zero ? $"; each retry-after-ms lengthened by {hintMargin.TotalMilliseconds:0} ms" : string.Empty),
        });
    }
}
