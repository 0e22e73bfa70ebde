using System.Collections.Concurrent;
using Phota.Emulator;
using Phota.Http;
using Phota.Sessions;

namespace Phota.Tests;

/// <summary>Clients for the emulator with millisecond delays, a private journal and a captured log.</summary>
internal sealed class TestClient : IDisposable
{
    public TestClient(RunningEmulator emulator, string? apiKey = null, Action<PhotaClientOptions>? _ = null, TimeSpan? jobWaitTimeout = null)
    {
        Dir = new TempDir();
        JournalPath = System.IO.Path.Combine(Dir.Path, "journal", "journal.jsonl");
        Output = System.IO.Path.Combine(Dir.Path, "out");
        Key = apiKey ?? emulator.ApiKeys[0];
        Options = FastOptions(JournalPath, Log, jobWaitTimeout);
        Client = new PhotaClient(new PhotaSession(Key, emulator.BaseAddress), Options);
    }

    public TempDir Dir { get; }

    public string JournalPath { get; }

    public string Output { get; }

    public string Key { get; }

    public PhotaClientOptions Options { get; }

    public PhotaClient Client { get; }

    public ConcurrentQueue<PhotaLogEvent> Events { get; } = new();

    public Jobs.OutputOptions OutputOptions => new() { Directory = Output };

    public static PhotaClientOptions FastOptions(string journalPath, Action<PhotaLogEvent>? log = null, TimeSpan? jobWaitTimeout = null) => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(40),
        // Enough that 30% injected 503s plus 5% aborts essentially never exhaust the retries (0.35^11 per request).
        MaxRetries = 10,
        AttemptTimeout = TimeSpan.FromSeconds(20),
        // The library's own adaptive polling, scaled down to the emulator's millisecond jobs and training.
        PollSchedule = new Jobs.AdaptivePollSchedule { FirstDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(25) },
        MinPollDelay = TimeSpan.FromMilliseconds(5),
        MaxPollsPerSecond = 2000,
        ProfilePollSchedule = new Jobs.AdaptivePollSchedule { FirstDelay = TimeSpan.FromMilliseconds(20), Growth = 0.25, UnknownGrowth = 0.25, MaxDelay = TimeSpan.FromMilliseconds(40) },
        JobWaitTimeout = jobWaitTimeout ?? TimeSpan.FromSeconds(30),
        JournalPath = journalPath,
        Log = log,
    };

    public string[] OutputFiles(string pattern = "*") => Directory.Exists(Output) ? Directory.GetFiles(Output, pattern) : [];

    public string Image(string name, int size = 96, int seed = 1) => Dir.File(System.IO.Path.Combine("in", name), TestImages.Png(size, size, seed));

    public void Dispose()
    {
        Client.Dispose();
        Dir.Dispose();
    }

    private void Log(PhotaLogEvent e) => Events.Enqueue(e);
}
