using System.Collections.Concurrent;
using Phota.Http;
using Phota.Images;
using Phota.Sessions;
using Phota.Studio;
using Phota.Testing;

namespace Phota.Tests;

/// <summary>Polling follows the server's hint when it gives one, and the schedule when it doesn't.</summary>
public sealed class JobPollingTests
{
    private static async Task<(int Polls, IReadOnlyList<TimeSpan> Waits)> RunOneJobAsync(
        int jobMilliseconds, bool serverHints, IReadOnlyList<TimeSpan> schedule)
    {
        await using var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.JobMilliseconds = jobMilliseconds;
            o.JobRetryAfterHint = serverHints;
        });
        using var dir = new TempDir();
        var events = new ConcurrentQueue<PhotaLogEvent>();
        var options = new PhotaClientOptions
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            PollDelays = schedule,
            PollInterval = schedule[^1],
            JournalPath = Path.Combine(dir.Path, "journal.jsonl"),
            Log = events.Enqueue,
        };
        using var client = new PhotaClient(new PhotaSession(emulator.ApiKeys[0], emulator.BaseAddress), options);
        var image = dir.File("poll.png", TestImages.Png(32, 32));
        var job = await client.SubmitAsync(new EnhanceRequest { Image = ImageInput.FromFile(image) });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client.WaitForJobAsync(job.JobId, cancellationToken: limit.Token);

        int polls = events.Count(e => e.Kind == PhotaLogEventKind.HttpExchange && e.Method == "GET" && e.Path!.StartsWith("/v1/phota/jobs/"));
        var waits = events.Where(e => e.Kind == PhotaLogEventKind.Wait).Select(e => e.Delay!.Value).ToList();
        return (polls, waits);
    }

    [Fact]
    public async Task A_server_hint_shorter_than_the_schedule_is_followed()
    {
        // The schedule alone would wait 30 s; the server says the job is done in well under a second.
        var (polls, waits) = await RunOneJobAsync(1000, serverHints: true, [TimeSpan.FromSeconds(30)]);
        Assert.NotEmpty(waits);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1000)));
        Assert.InRange(polls, 2, 4);
    }

    [Fact]
    public async Task A_server_hint_longer_than_the_schedule_saves_requests()
    {
        var (withHint, _) = await RunOneJobAsync(1500, serverHints: true, [TimeSpan.FromMilliseconds(5)]);
        var (withoutHint, waits) = await RunOneJobAsync(1500, serverHints: false, [TimeSpan.FromMilliseconds(5)]);
        Assert.InRange(withHint, 1, 4);
        Assert.True(withoutHint > 10, $"Without hints the 5 ms schedule should poll often; it polled {withoutHint} times.");
        Assert.All(waits, w => Assert.Equal(TimeSpan.FromMilliseconds(5), w));
    }
}
