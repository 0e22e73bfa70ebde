using System.Collections.Concurrent;
using System.Diagnostics;
using Phota.Emulator;

namespace Phota.Tests;

/// <summary>
/// Job waits against the emulator: the server's hint wins when it gives one, the adaptive schedule learns run times
/// when it does not, two checks of a job are never closer than the minimum gap, and the session's checks stay under
/// the ceiling.
/// </summary>
public sealed class JobPollingTests
{
    /// <summary>Records when each status check of a job was sent, per job.</summary>
    private sealed class PollRecorder : DelegatingHandler
    {
        public ConcurrentQueue<(string JobId, long Sent)> Sent { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal))
            {
                Sent.Enqueue((request.RequestUri.AbsolutePath["/v1/phota/jobs/".Length..], Stopwatch.GetTimestamp()));
            }

            return base.SendAsync(request, cancellationToken);
        }

        public IReadOnlyList<double> GapsMs() => Sent.GroupBy(s => s.JobId)
            .SelectMany(g => g.Select(s => s.Sent).Order().Zip(g.Select(s => s.Sent).Order().Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds))
            .ToList();
    }

    /// <summary>An emulator and a client with the library's polling (or <c>polling</c>), every status check recorded.</summary>
    private sealed class Setup(RunningEmulator emulator, TestClient client, PollRecorder recorder) : IAsyncDisposable
    {
        public TestClient T => client;

        public PhotaClient Client => client.Client;

        public PollRecorder Recorder => recorder;

        public static async Task<Setup> StartAsync(Action<EmulatorOptions> emulatorOptions, ClientSettings? polling = null)
        {
            var emulator = await EmulatorFixture.StartAsync(emulatorOptions);
            var recorder = new PollRecorder();
            return new Setup(emulator, new TestClient(emulator, settings: (polling ?? ClientSettings.LibraryPolling) with { Handlers = () => [recorder] }), recorder);
        }

        public async Task<SubmittedJob> RunOneAsync(int outputs = 1)
        {
            var job = await Client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(client.Image("poll.png")), NumOutputImages = outputs });
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Client.WaitForJobAsync(job.JobId, cancellationToken: limit.Token);
            return job;
        }

        public int PollsOf(string jobId) => Recorder.Sent.Count(s => s.JobId == jobId);

        public List<TimeSpan> WaitsOf(string jobId) => client.Events.Where(e => e.Kind == PhotaLogEventKind.Wait && e.Subject == "job " + jobId).Select(e => e.Delay!.Value).ToList();

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await emulator.DisposeAsync();
        }
    }

    /// <summary>The library's polling with another schedule and minimum gap between two checks of a job.</summary>
    private static ClientSettings With(PollSchedule schedule, TimeSpan minGap) => ClientSettings.LibraryPolling with { PollSchedule = schedule, MinPollDelay = minGap };

    [Fact]
    public async Task A_server_hint_shorter_than_the_schedule_is_followed()
    {
        // The schedule alone would wait 30 s between checks; the server says the job is done within a second.
        await using var t = await Setup.StartAsync(o => { o.JobMilliseconds = 1000; o.JobRetryAfterHint = true; },
            With(PollSchedule.Fixed([TimeSpan.FromSeconds(30)], TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(50)));
        var job = await t.RunOneAsync();
        var waits = t.WaitsOf(job.JobId);
        Assert.NotEmpty(waits);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1000)));
        Assert.InRange(t.PollsOf(job.JobId), 2, 4);
    }

    [Fact]
    public async Task A_server_hint_longer_than_the_schedule_saves_requests()
    {
        var fiveMs = PollSchedule.Fixed([TimeSpan.FromMilliseconds(5)], TimeSpan.FromMilliseconds(5));
        int withHint, withoutHint;
        await using (var hinted = await Setup.StartAsync(o => { o.JobMilliseconds = 1500; o.JobRetryAfterHint = true; }, With(fiveMs, TimeSpan.FromMilliseconds(5))))
        {
            withHint = hinted.PollsOf((await hinted.RunOneAsync()).JobId);
        }

        await using var silent = await Setup.StartAsync(o => o.JobMilliseconds = 1500, With(fiveMs, TimeSpan.FromMilliseconds(5)));
        var job = await silent.RunOneAsync();
        withoutHint = silent.PollsOf(job.JobId);
        Assert.InRange(withHint, 1, 4);
        Assert.True(withoutHint > 10, $"Without hints the 5 ms schedule should poll often; it polled {withoutHint} times.");
        Assert.All(silent.WaitsOf(job.JobId).Skip(1), w => Assert.Equal(TimeSpan.FromMilliseconds(5), w));
    }

    [Fact]
    public async Task Two_checks_of_a_job_are_never_closer_than_the_minimum_gap_whatever_the_schedule_or_the_server_asks()
    {
        // The schedule asks for 1 ms and the server's hint near the end asks for a few ms: both are raised to 120 ms.
        await using var t = await Setup.StartAsync(o => { o.JobMilliseconds = 1500; o.JobRetryAfterHint = true; },
            With(PollSchedule.Fixed([TimeSpan.FromMilliseconds(1)], TimeSpan.FromMilliseconds(1)), TimeSpan.FromMilliseconds(120)));
        await t.RunOneAsync();
        await using var silent = await Setup.StartAsync(o => o.JobMilliseconds = 1500,
            With(PollSchedule.Fixed([TimeSpan.FromMilliseconds(1)], TimeSpan.FromMilliseconds(1)), TimeSpan.FromMilliseconds(120)));
        await silent.RunOneAsync();

        var gaps = t.Recorder.GapsMs().Concat(silent.Recorder.GapsMs()).ToList();
        Assert.True(silent.Recorder.Sent.Count >= 3, $"A 1.5 s job checked every 120 ms takes several checks; saw {silent.Recorder.Sent.Count}.");
        // The recorder sees a check after the retry pipeline, whose own time differs by a fraction of a millisecond
        // from one call to the next; the poller keeps its 120 ms before the pipeline.
        Assert.All(gaps, gap => Assert.True(gap >= 119, $"Two checks {gap:0.0} ms apart."));
    }

    [Fact]
    public async Task Without_a_hint_the_default_schedule_learns_run_times_and_aims_the_first_check_at_the_expected_finish()
    {
        await using var t = await Setup.StartAsync(o => o.JobMilliseconds = 600);
        // A job of another shape first, so the first measured submit is not slowed by the runtime warming up.
        var warmUp = await t.RunOneAsync(outputs: 2);
        var jobs = new List<SubmittedJob>();
        for (var i = 0; i < 6; i++)
        {
            jobs.Add(await t.RunOneAsync());
        }

        // The first job's shape is unknown (another shape's run time does not count): the first check 250 ms after
        // the submit, then at least 250 ms apart.
        var (warmShortest, warmSeen) = t.Client.Session.Polling.RunTimes.Of(warmUp.Shape!.Value);
        Assert.Equal(1, warmSeen);
        Assert.InRange(warmShortest!.Value.TotalMilliseconds, 599, 700);
        Assert.InRange(t.WaitsOf(jobs[0].JobId)[0].TotalMilliseconds, 1, 250);
        Assert.True(t.PollsOf(jobs[0].JobId) >= 2);

        // What the session learned: the server's own run times of the enhance jobs.
        var (shortest, seen) = t.Client.Session.Polling.RunTimes.Of(jobs[0].Shape!.Value);
        Assert.Equal(6, seen);
        Assert.InRange(shortest!.Value.TotalMilliseconds, 599, 700);

        // From the fourth job on, the first check waits for the expected finish and mostly finds the job done.
        foreach (var job in jobs.Skip(3))
        {
            Assert.InRange(t.WaitsOf(job.JobId)[0].TotalMilliseconds, 450, 620);
        }

        Assert.InRange(jobs.Skip(3).Sum(j => t.PollsOf(j.JobId)), 3, 4);
    }

    [Fact]
    public async Task A_batch_s_checks_stay_under_the_session_s_ceiling()
    {
        // Eight jobs at once, a schedule that asks for a check every 1 ms of each, and a ceiling of 10 a second.
        await using var t = await Setup.StartAsync(o => o.JobMilliseconds = 1200, With(PollSchedule.Fixed([TimeSpan.FromMilliseconds(1)], TimeSpan.FromMilliseconds(1)), TimeSpan.FromMilliseconds(1)) with { MaxPollsPerSecond = 10 });
        await using var batch = t.Client.StartBatch(new BatchOptions { Concurrency = 8, Output = t.T.OutputOptions });
        for (var i = 0; i < 8; i++)
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(t.T.Image($"b{i}.png", seed: i)) }));
        }

        batch.Complete();
        var results = new List<BatchItemResult>();
        await foreach (var result in batch.ReadAllAsync())
        {
            results.Add(result);
        }

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        var sent = t.Recorder.Sent.Select(s => s.Sent).Order().ToList();
        Assert.True(sent.Count >= 16, $"Eight 1.2 s jobs under a 10/s ceiling need more than one check each; saw {sent.Count}.");
        foreach (var from in sent)
        {
            var inWindow = sent.Count(s => s >= from && Stopwatch.GetElapsedTime(from, s) < TimeSpan.FromSeconds(1));
            Assert.True(inWindow <= 11, $"{inWindow} checks within one second.");
        }
    }
}
