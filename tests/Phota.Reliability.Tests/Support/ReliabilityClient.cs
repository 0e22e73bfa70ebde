using System.Collections.Concurrent;
using Phota.Emulator;
using Phota.Http;
using Phota.Jobs;
using Phota.Sessions;

namespace Phota.Reliability.Tests.Support;

/// <summary>
/// A library client for one test: its own temporary folder (journal, inputs, outputs), millisecond delays, and every
/// log event captured so tests can scan them.
/// </summary>
internal sealed class ReliabilityClient : IDisposable
{
    public ReliabilityClient(Uri baseAddress, string apiKey, ClientSettings? settings = null, TempDir? dir = null)
    {
        Dir = dir ?? new TempDir();
        JournalPath = Path.Combine(Dir.Path, "journal", "journal.jsonl");
        Output = Path.Combine(Dir.Path, "out");
        Key = apiKey;
        Options = FastOptions(JournalPath, Events.Enqueue, settings ?? new ClientSettings());
        Client = new PhotaClient(new PhotaSession(apiKey, baseAddress), Options);
    }

    public ReliabilityClient(RunningEmulator emulator, string? apiKey = null, ClientSettings? settings = null)
        : this(emulator.BaseAddress, apiKey ?? emulator.ApiKeys[0], settings)
    {
    }

    public TempDir Dir { get; }

    public string JournalPath { get; }

    public string Output { get; }

    public string Key { get; }

    public PhotaClientOptions Options { get; }

    public PhotaClient Client { get; }

    public ConcurrentQueue<PhotaLogEvent> Events { get; } = new();

    public OutputOptions OutputOptions => new() { Directory = Output };

    /// <summary>Production behaviour with every delay shrunk to milliseconds.</summary>
    public static PhotaClientOptions FastOptions(string journalPath, Action<PhotaLogEvent>? log, ClientSettings settings) => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetries = settings.MaxRetries,
        AttemptTimeout = TimeSpan.FromSeconds(20),
        TransferAttemptTimeout = TimeSpan.FromSeconds(30),
        OverallTimeout = settings.OverallTimeout ?? TimeSpan.FromSeconds(60),
        // Millisecond versions of the library's adaptive polling, for jobs and training that take milliseconds here.
        PollSchedule = new Jobs.AdaptivePollSchedule { FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
        MinPollDelay = TimeSpan.FromMilliseconds(10),
        MaxPollsPerSecond = 2000,
        ProfilePollSchedule = new Jobs.AdaptivePollSchedule { FirstDelay = TimeSpan.FromMilliseconds(20), Growth = 0.25, UnknownGrowth = 0.25, MaxDelay = TimeSpan.FromMilliseconds(40) },
        JobWaitTimeout = settings.JobWaitTimeout ?? TimeSpan.FromSeconds(60),
        JournalPath = journalPath,
        Log = log,
        AdditionalHandlers = settings.Handlers,
    };

    public string[] OutputFiles(string pattern = "*") => Directory.Exists(Output) ? Directory.GetFiles(Output, pattern) : [];

    /// <summary>Every file left anywhere in this test's folder, except the journal and its lock.</summary>
    public string[] StrayFiles(params string[] inputs)
        => Dir.Files().Where(f => !f.StartsWith(Path.GetDirectoryName(JournalPath)!, StringComparison.Ordinal) && !inputs.Contains(f)).ToArray();

    /// <summary>
    /// A PNG input. The default is a 16:1 strip: the emulator renders enhance outputs in the input's ratio with a long
    /// side of 1024, so each output is 1024x64 and hundreds of them stay cheap to render and check.
    /// </summary>
    public string Image(string name, int seed = 1, int width = 48, int height = 3) => Dir.File(Path.Combine("in", name), TestImages.Png(width, height, seed));

    public void Dispose()
    {
        Client.Dispose();
        Dir.Dispose();
    }
}

/// <summary>What a test changes from <see cref="ReliabilityClient.FastOptions"/>.</summary>
internal sealed record ClientSettings
{
    public int MaxRetries { get; init; } = 8;

    public TimeSpan? OverallTimeout { get; init; }

    public TimeSpan? JobWaitTimeout { get; init; }

    public Func<IEnumerable<DelegatingHandler>>? Handlers { get; init; }
}
