using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Phota.Batches;
using Phota.Images;
using Phota.Jobs;
using Phota.Sessions;
using Phota.Studio;

namespace Phota.Benchmarks.Scale;

/// <summary>
/// One measurement in a fresh process, so its peak working set is its own: the journal operations the job cmdlets
/// run (as the same library calls the cmdlets make), a compaction, or a photo pipeline. Prints one JSON object.
/// </summary>
internal static class ScaleProbe
{
    public const string Verb = "scale-probe";

    private static readonly JsonSerializerOptions OneLine = new(BenchmarkResults.JsonOptions) { WriteIndented = false };

    /// <summary>Arguments: ops|compact|pipeline, base URL, API key, journal, work directory, count, concurrency.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 7)
        {
            Console.Error.WriteLine("usage: scale-probe <ops|compact|pipeline> <base-url> <api-key> <journal> <work> <count> <concurrency>");
            return 2;
        }

        var (mode, baseUrl, apiKey, journal, work) = (args[0], new Uri(args[1]), args[2], args[3], args[4]);
        var count = int.Parse(args[5], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(args[6], CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        using var memory = MemoryProbe.Start();
        using var client = new PhotaClient(new PhotaSession(apiKey, baseUrl), new PhotaClientOptions { JournalPath = journal });
        object result = mode switch
        {
            "ops" => await JournalOpsAsync(client, work, count, timeout.Token).ConfigureAwait(false),
            "compact" => Compact(client.Journal),
            "pipeline" => await PipelineAsync(client, work, count, concurrency, timeout.Token).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown mode '{mode}'."),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(new ProbeOutput(result, memory.Peak(), memory.Method), OneLine));
        return 0;
    }

    /// <summary>
    /// <paramref name="repeats"/> rounds of: Get-PhotaJob (list the journal's outstanding jobs, check each), one
    /// submit (Invoke-PhotaEnhance -NoWait), and Wait-PhotaJob | Receive-PhotaJob of 4 finished jobs. The first
    /// Get-PhotaJob is also the process's first journal lookup.
    /// </summary>
    private static async Task<OpsTimes> JournalOpsAsync(PhotaClient client, string work, int repeats, CancellationToken token)
    {
        var photo = JournalSynthesizer.TinyPhoto(work, $"ops-{Environment.ProcessId}.jpg", 3);
        var output = new OutputOptions { Directory = Directory.CreateDirectory(Path.Combine(work, $"ops-out-{Environment.ProcessId}")).FullName };
        var get = new List<double>();
        var submit = new List<double>();
        var waitReceive = new List<double>();
        for (var round = 0; round < repeats; round++)
        {
            get.Add(await TimeAsync(() => GetJobsAsync(client, token)).ConfigureAwait(false));
            submit.Add(await TimeAsync(() => SubmitAsync(client, photo, output, 1, token)).ConfigureAwait(false));
            var four = await SubmitAsync(client, photo, output, 4, token).ConfigureAwait(false);
            foreach (var job in four)
            {
                // Finished before the timing starts: the wait measures the client, not the job.
                await client.WaitForJobAsync(job, cancellationToken: token).ConfigureAwait(false);
            }

            waitReceive.Add(await TimeAsync(() => WaitReceiveAsync(client, four, output, token)).ConfigureAwait(false));
        }

        return new OpsTimes(get[0], Median(get.Skip(1)), Median(submit.Skip(1)), Median(waitReceive.Skip(1)), submit[0], waitReceive[0]);
    }

    /// <summary>What Get-PhotaJob does: the outstanding entries for this base URL, each checked through a CheckJobs batch.</summary>
    private static async Task GetJobsAsync(PhotaClient client, CancellationToken token)
    {
        var baseUrl = client.Session.BaseUri.AbsoluteUri;
        var entries = client.Journal.GetOutstanding().Where(e => e.BaseUrl is null || string.Equals(e.BaseUrl, baseUrl, StringComparison.OrdinalIgnoreCase)).ToList();
        await using var batch = client.StartBatch(new BatchOptions { Mode = BatchMode.CheckJobs, Output = new OutputOptions { Directory = "." } }, token);
        foreach (var entry in entries.Where(e => e.JobId is not null))
        {
            batch.Add(BatchItem.ForJob(new JobReference(entry.JobId!, entry)));
        }

        batch.Complete();
        await Drain(batch, token).ConfigureAwait(false);
    }

    /// <summary>What a studio cmdlet with -NoWait does: a SubmitOnly batch.</summary>
    private static async Task<List<string>> SubmitAsync(PhotaClient client, string photo, OutputOptions output, int count, CancellationToken token)
    {
        await using var batch = client.StartBatch(new BatchOptions { Mode = BatchMode.SubmitOnly, Output = output }, token);
        for (var i = 0; i < count; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(photo) }));
        }

        batch.Complete();
        return (await Drain(batch, token).ConfigureAwait(false)).Select(r => r.Job!.JobId).ToList();
    }

    /// <summary>What Wait-PhotaJob | Receive-PhotaJob does: journal lookups per job, a WaitForJobs batch, then a CollectJobs batch.</summary>
    private static async Task WaitReceiveAsync(PhotaClient client, List<string> ids, OutputOptions output, CancellationToken token)
    {
        var waited = new List<string>();
        await using (var wait = client.StartBatch(new BatchOptions { Mode = BatchMode.WaitForJobs, Output = output }, token))
        {
            foreach (var id in ids)
            {
                wait.Add(BatchItem.ForJob(new JobReference(id, client.Journal.Find(id))));
            }

            wait.Complete();
            foreach (var result in await Drain(wait, token).ConfigureAwait(false))
            {
                waited.Add(client.Journal.Find(result.Status!.JobId)!.JobId!);
            }
        }

        await using var receive = client.StartBatch(new BatchOptions { Mode = BatchMode.CollectJobs, Output = output }, token);
        foreach (var id in waited)
        {
            var entry = client.Journal.Find(id);
            receive.Add(BatchItem.ForJob(new JobReference(id, entry), output: new OutputOptions { Directory = entry?.OutputDirectory ?? output.Directory }));
        }

        receive.Complete();
        var saved = (await Drain(receive, token).ConfigureAwait(false)).Sum(r => r.Images.Count);
        if (saved != ids.Count)
        {
            throw new InvalidOperationException($"Receive saved {saved} of {ids.Count} results.");
        }
    }

    private static CompactionTimes Compact(JobJournal journal)
    {
        var started = Stopwatch.GetTimestamp();
        var result = journal.Compact();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new CompactionTimes(Math.Round(ms, 1), result.JobsBefore, result.JobsRemoved, result.Outstanding, result.BytesBefore, result.BytesAfter);
    }

    /// <summary>
    /// What <c>Get-ChildItem *.jpg | Invoke-PhotaEnhance -ThrottleLimit n</c> does: a Run batch fed item by item,
    /// progress read when items change stage (as the cmdlet redraws its bar, at most every 250 ms).
    /// </summary>
    private static async Task<PipelineTimes> PipelineAsync(PhotaClient client, string work, int count, int concurrency, CancellationToken token)
    {
        var photos = Directory.GetFiles(Path.Combine(work, "photos"), "*.jpg").Order(StringComparer.Ordinal).Take(count).ToList();
        if (photos.Count < count)
        {
            throw new InvalidOperationException($"Only {photos.Count} photos in {work}.");
        }

        var output = new OutputOptions { Directory = Directory.CreateDirectory(Path.Combine(work, $"pipeline-out-{count}")).FullName };
        var clock = Stopwatch.StartNew();
        long lastProgress = 0, longestGap = 0, updates = 0;
        var gate = new object();
        void OnStage(BatchItem item, StudioStage stage)
        {
            var now = clock.ElapsedMilliseconds;
            lock (gate)
            {
                if (now - lastProgress >= 250)
                {
                    longestGap = Math.Max(longestGap, now - lastProgress);
                    lastProgress = now;
                    updates++;
                }
            }
        }

        await using var batch = client.StartBatch(new BatchOptions { Concurrency = concurrency, Output = output, OnStage = OnStage }, token);
        var reading = Task.Run(async () =>
        {
            int saved = 0, failed = 0;
            await foreach (var result in batch.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (result.Succeeded && result.Images.Count == 1 && File.Exists(result.Images[0].Path))
                {
                    saved++;
                }
                else
                {
                    failed++;
                }
            }

            return (saved, failed);
        }, token);
        foreach (var photo in photos)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(photo) }));
        }

        batch.Complete();
        var (ok, bad) = await reading.ConfigureAwait(false);
        var wall = clock.Elapsed.TotalMilliseconds;
        lock (gate)
        {
            longestGap = Math.Max(longestGap, clock.ElapsedMilliseconds - lastProgress);
        }

        return new PipelineTimes(count, ok, bad, Math.Round(wall, 0), longestGap, updates, Directory.GetFiles(output.Directory).Length);
    }

    private static async Task<List<BatchItemResult>> Drain(Batch batch, CancellationToken token)
    {
        var results = new List<BatchItemResult>();
        await foreach (var result in batch.ReadAllAsync(token).ConfigureAwait(false))
        {
            if (result.Error is { } error)
            {
                throw new InvalidOperationException($"A benchmark item failed: {error.Message}", error);
            }

            results.Add(result);
        }

        return results;
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var started = Stopwatch.GetTimestamp();
        await work().ConfigureAwait(false);
        return Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);
    }
}
