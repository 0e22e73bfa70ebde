using System.Collections.Concurrent;
using Phota.Emulator;
using Phota.Http;
using Phota.Jobs;
using Phota.Sessions;

namespace Phota.Testing;

/// <summary>
/// A library client for one test: its own temporary folder (journal, inputs, outputs), millisecond delays, and every
/// log event captured so tests can scan them.
/// </summary>
public sealed class TestClient : IDisposable
{
    public TestClient(Uri baseAddress, string apiKey, ClientSettings? settings = null)
    {
        BaseAddress = baseAddress;
        Dir = new TempDir();
        JournalPath = Path.Combine(Dir.Path, "journal", "journal.jsonl");
        Output = Path.Combine(Dir.Path, "out");
        Key = apiKey;
        Options = FastOptions(JournalPath, Events.Enqueue, settings);
        Client = new PhotaClient(new PhotaSession(apiKey, baseAddress), Options);
    }

    /// <summary>A client of <paramref name="emulator"/> with <paramref name="apiKey"/>, or its first key.</summary>
    public TestClient(RunningEmulator emulator, string? apiKey = null, ClientSettings? settings = null)
        : this(emulator.BaseAddress, apiKey ?? emulator.ApiKeys[0], settings)
    {
    }

    public Uri BaseAddress { get; }

    public TempDir Dir { get; }

    public string JournalPath { get; }

    public string Output { get; }

    public string Key { get; }

    public PhotaClientOptions Options { get; }

    public PhotaClient Client { get; }

    public ConcurrentQueue<PhotaLogEvent> Events { get; } = new();

    public OutputOptions OutputOptions => new() { Directory = Output };

    /// <summary>
    /// Production behaviour with every delay shrunk to milliseconds, for jobs and training that take milliseconds in
    /// the emulator. A null <paramref name="journalPath"/> leaves the journal where the environment puts it.
    /// </summary>
    public static PhotaClientOptions FastOptions(string? journalPath, Action<PhotaLogEvent>? log = null, ClientSettings? settings = null)
    {
        settings ??= new ClientSettings();
        return new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetries = settings.MaxRetries,
            AttemptTimeout = TimeSpan.FromSeconds(20),
            TransferAttemptTimeout = TimeSpan.FromSeconds(30),
            OverallTimeout = settings.OverallTimeout ?? TimeSpan.FromSeconds(60),
            PollSchedule = settings.PollSchedule ?? new AdaptivePollSchedule { FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
            MinPollDelay = settings.MinPollDelay ?? TimeSpan.FromMilliseconds(10),
            MaxPollsPerSecond = settings.MaxPollsPerSecond ?? 2000,
            ProfilePollSchedule = new AdaptivePollSchedule { FirstDelay = TimeSpan.FromMilliseconds(20), Growth = 0.25, UnknownGrowth = 0.25, MaxDelay = TimeSpan.FromMilliseconds(40) },
            JobWaitTimeout = settings.JobWaitTimeout ?? TimeSpan.FromSeconds(60),
            MaxDownloadBytes = settings.MaxDownloadBytes ?? PhotaClientOptions.Default.MaxDownloadBytes,
            JournalPath = journalPath,
            Log = log,
            AdditionalHandlers = settings.Handlers,
        };
    }

    /// <summary>Another client on this test's journal: with another key (a wrong one, another account's) or other settings.</summary>
    public PhotaClient Another(string? apiKey = null, ClientSettings? settings = null)
        => new(new PhotaSession(apiKey ?? Key, BaseAddress), settings is null ? Options : FastOptions(JournalPath, Events.Enqueue, settings));

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

/// <summary>What a test changes from <see cref="TestClient.FastOptions"/>.</summary>
public sealed record ClientSettings
{
    /// <summary>The library's own job polling (schedule, minimum gap, ceiling), for tests of polling itself.</summary>
    public static ClientSettings LibraryPolling { get; } = new()
    {
        PollSchedule = PhotaClientOptions.Default.PollSchedule,
        MinPollDelay = PhotaClientOptions.Default.MinPollDelay,
        MaxPollsPerSecond = PhotaClientOptions.Default.MaxPollsPerSecond,
    };

    /// <summary>Enough that 30% injected 503s plus 5% aborts essentially never exhaust the retries (0.35^11 per request).</summary>
    public int MaxRetries { get; init; } = 10;

    public TimeSpan? OverallTimeout { get; init; }

    public TimeSpan? JobWaitTimeout { get; init; }

    public long? MaxDownloadBytes { get; init; }

    public PollSchedule? PollSchedule { get; init; }

    public TimeSpan? MinPollDelay { get; init; }

    public double? MaxPollsPerSecond { get; init; }

    /// <summary>Handlers inserted into the client's pipeline (fault injection, recording).</summary>
    public Func<IEnumerable<DelegatingHandler>>? Handlers { get; init; }
}
