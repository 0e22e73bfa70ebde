using Phota.Http;

namespace Phota;

/// <summary>
/// Timing, retry, journal and transport settings of a <see cref="PhotaClient"/>. The defaults are the
/// documented production numbers; tests shrink the delays so they run in milliseconds.
/// </summary>
public sealed class PhotaClientOptions
{
    /// <summary>Retries after the first attempt for repeatable requests (GETs, keyed async submits, downloads).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First retry delay; doubles per attempt, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest server-requested wait (<c>retry-after-ms</c> / <c>Retry-After</c>) the client honours; a longer
    /// request ends the call with a rate-limit error instead of a silent long sleep.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Time limit for one attempt of a short request (job status, profile calls, submits without files).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Time limit for one attempt of a request that uploads images (async submit) or downloads a result.</summary>
    public TimeSpan TransferAttemptTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time limit for one synchronous studio request: the server may legitimately work for 600 s.</summary>
    public TimeSpan SyncAttemptTimeout { get; init; } = TimeSpan.FromSeconds(630);

    /// <summary>Overall limit for one API call including all its retries and waits between them.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// When to check a running job again when the server gives no hint: by default
    /// (<see cref="Jobs.PollSchedule.Adaptive"/>) first when the shortest recent job of the same operation, model,
    /// resolution and output count would have finished, then after gaps of 15 % of the time the job has run. A
    /// <c>retry-after-ms</c> or <c>Retry-After</c> on a running job's status replaces the schedule's delay. An
    /// advanced setting: <see cref="Jobs.PollSchedule.Fixed"/> gives a fixed list of delays.
    /// </summary>
    public Jobs.PollSchedule PollSchedule { get; init; } = Jobs.PollSchedule.Adaptive;

    /// <summary>The shortest time between two status checks of one job (or one profile), whatever the server or the schedule says.</summary>
    public TimeSpan MinPollDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most status checks per second that the waits of one session make together (job and profile checks, all
    /// clients of the session): 50, i.e. 3,000 a minute, a rate that image-generation APIs commonly accept for read
    /// requests; a batch of any size and concurrency stays under it. A check waits for its turn, so the ceiling also
    /// caps how many jobs a second a session can see finish. Zero or less: no ceiling.
    /// </summary>
    public double MaxPollsPerSecond { get; init; } = 50;

    /// <summary>
    /// The largest result image the client saves (200 MB): a bigger download is refused and nothing is kept of it,
    /// so a broken or hostile server cannot fill the disk.
    /// </summary>
    public long MaxDownloadBytes { get; init; } = 200L * 1024 * 1024;

    /// <summary>How long to wait for one async job before giving up (the job stays in the journal to collect later).</summary>
    public TimeSpan JobWaitTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// When to check profiles in training again, counted from the start of the wait (after a first check made at once):
    /// next after 10 s, then after gaps of a quarter of the time waited, at most 15 s (training takes minutes).
    /// </summary>
    public Jobs.PollSchedule ProfilePollSchedule { get; init; } = new Jobs.AdaptivePollSchedule
    {
        FirstDelay = TimeSpan.FromSeconds(10),
        Growth = 0.25,
        UnknownGrowth = 0.25,
        MaxDelay = TimeSpan.FromSeconds(15),
    };

    /// <summary>
    /// The job journal file. Null: <c>PHOTA_JOURNAL_PATH</c>, else <c>&lt;LocalApplicationData&gt;/Phota/journal.jsonl</c>.
    /// </summary>
    public string? JournalPath { get; init; }

    /// <summary>Receives every HTTP exchange, retry and wait (the key is never in it). Called on worker threads.</summary>
    public Action<PhotaLogEvent>? Log { get; init; }

    /// <summary>
    /// Handlers to put between the client and the socket handler, outermost first (tests insert a validating handler).
    /// Each call must return new instances. When set, the client owns a dedicated connection pool.
    /// </summary>
    public Func<IEnumerable<DelegatingHandler>>? AdditionalHandlers { get; init; }

    /// <summary>The clock for delays and timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed for retry jitter and request ids in tests; null is random.</summary>
    internal int? RandomSeed { get; init; }

    public static PhotaClientOptions Default { get; } = new();
}
