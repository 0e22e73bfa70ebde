namespace Phota.Emulator;

/// <summary>
/// Everything the emulator's command line sets. Durations are the documented (real-service)
/// values; the emulator multiplies them by <see cref="TimeScale"/> when it runs.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>The documented test key, accepted when no <c>--api-key</c> is given.</summary>
    public const string DefaultApiKey = "phota-emulator-key";

    /// <summary>Address used by the command line when <c>--urls</c> is not given.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    // ---- Hosting -------------------------------------------------------------------------
    /// <summary>Listen address(es), separated by ';'. Used by the command line only.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Allow binding to an address that is not loopback.</summary>
    public bool AllowNonLoopback { get; set; }

    /// <summary>Accepted API keys; empty means the single key <see cref="DefaultApiKey"/>.</summary>
    public List<string> ApiKeys { get; } = [];

    /// <summary>Persist accounts, profiles, jobs and secrets in this file (written atomically).</summary>
    public string? StateFile { get; set; }

    // ---- Money ---------------------------------------------------------------------------
    /// <summary>Starting prepaid balance of every key, in USD.</summary>
    public decimal CreditUsd { get; set; } = 100m;

    /// <summary>Edit/generate price per output image for base models without their own price.</summary>
    public decimal PriceDefault { get; set; } = 0.12m;

    /// <summary>Edit/generate price per output image when a profile is recognised, for base models without their own price.</summary>
    public decimal PriceIdentityDefault { get; set; } = 0.15m;

    /// <summary>Per-base-model edit/generate prices (per output image, without and with identity).</summary>
    public Dictionary<string, ModelPrice> ModelPrices { get; } = new(StringComparer.Ordinal);

    public decimal PriceEnhance { get; set; } = 0.12m;
    public decimal PriceEnhanceIdentity { get; set; } = 0.15m;
    public decimal PriceRemix { get; set; } = 0.12m;
    public decimal PriceRemixIdentity { get; set; } = 0.15m;
    public decimal PriceProfileStandard { get; set; } = 2.90m;
    public decimal PriceProfileFast { get; set; } = 1.49m;

    // ---- Time ----------------------------------------------------------------------------
    /// <summary>Multiplies every documented duration: 0.001 makes them a thousand times shorter.</summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>
    /// Wall-clock processing time of every studio job, sync or async (not scaled): fixed, or with
    /// <see cref="JobMillisecondsMax"/> the low end of a range each job's time is drawn from.
    /// </summary>
    public int? JobMilliseconds { get; set; }

    /// <summary>The high end of the job-time range (<c>--job-ms min-max</c>); null: <see cref="JobMilliseconds"/> is fixed.</summary>
    public int? JobMillisecondsMax { get; set; }

    /// <summary>Seed for drawn job times; the same seed and order of submits give the same times.</summary>
    public int? Seed { get; set; }

    /// <summary>Default job run time: this base plus <see cref="JobPerImageDuration"/> per output image.</summary>
    public TimeSpan JobBaseDuration { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan JobPerImageDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Quick Train (fast tier) with 10 images; 5 images take half as long.</summary>
    public TimeSpan QuickTrainDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Full Train (standard tier) with 50 images; 10 images take half as long.</summary>
    public TimeSpan FullTrainDuration { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>A synchronous request running longer gets 504 and its cost back.</summary>
    public TimeSpan SyncTimeLimit { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>An async job's result is available this long after it completes; then GET job answers 410.</summary>
    public TimeSpan ResultExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of a signed download link, counted from the job's completion.</summary>
    public TimeSpan DownloadLinkExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A READY profile unused for this long becomes INACTIVE.</summary>
    public TimeSpan ProfileInactiveAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Clock used for every timestamp (tests may pass one they move by hand). Waits still take real (scaled) time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    // ---- Inputs, limits, moderation -----------------------------------------------------
    /// <summary>Fetch input URLs from any host (default: loopback only). Also allows callbacks to any host.</summary>
    public bool AllowRemoteFetch { get; set; }

    /// <summary>
    /// Pending and running job statuses carry retry-after-ms / Retry-After with the time left. The API documents no
    /// such header, so this is off unless asked for (for experiments).
    /// </summary>
    public bool JobRetryAfterHint { get; set; }

    /// <summary>
    /// A local folder served without a key at /_emulator/static/ (photos as URLs for profile training). The command line
    /// stores it absolute, resolved against the folder the emulator was started from.
    /// </summary>
    public string? StaticDirectory { get; set; }

    /// <summary>Largest accepted request body.</summary>
    public long MaxBodyBytes { get; set; } = 80L * 1024 * 1024;

    /// <summary>Largest image fetched from a URL.</summary>
    public long MaxFetchBytes { get; set; } = 50L * 1024 * 1024;

    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A prompt containing one of these terms (case-insensitive) gets 400 CONTENT_MODERATION.</summary>
    public List<string> BlockedTerms { get; } = ["nsfw", "gore", "nude", "naked"];

    // ---- Webhooks ------------------------------------------------------------------------
    /// <summary>Delivery attempts per callback (first try included).</summary>
    public int CallbackAttempts { get; set; } = 4;

    /// <summary>Wait before the first retry; doubles after each failure (scaled).</summary>
    public TimeSpan CallbackBackoff { get; set; } = TimeSpan.FromSeconds(2);

    // ---- Faults (off by default) -------------------------------------------------------
    /// <summary>Share of eligible requests (studio submits and GET job) answered 503.</summary>
    public double Fault503Rate { get; set; }

    /// <summary>The next n eligible requests are answered 503.</summary>
    public int Fault503Burst { get; set; }

    /// <summary>Share of requests to the operations that declare 500 answered 500 INTERNAL_ERROR (before they run).</summary>
    public double Fault500Rate { get; set; }

    /// <summary>Retry-After (seconds) sent with injected 503s.</summary>
    public int FaultRetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// When set, injected 503s ask for this many milliseconds: <c>retry-after-ms</c> exactly, and <c>Retry-After</c>
    /// rounded up to whole seconds (for clients that read only that); fault tests then run in milliseconds.
    /// </summary>
    public int? FaultRetryAfterMs { get; set; }

    /// <summary>Added wall-clock latency (not scaled) before every API request is handled.</summary>
    public int FaultLatencyMs { get; set; }

    /// <summary>Share of requests whose connection is aborted after half the response was sent.</summary>
    public double FaultAbortRate { get; set; }

    /// <summary>Share of async jobs that fail with <see cref="FaultJobFailCode"/>.</summary>
    public double FaultJobFailRate { get; set; }

    /// <summary><c>instance_died</c> or <c>dispatch_failed</c>.</summary>
    public string FaultJobFailCode { get; set; } = "instance_died";

    /// <summary>Seed for fault decisions; the same seed and request order give the same faults.</summary>
    public int? FaultSeed { get; set; }

    /// <summary>The keys in effect: the configured ones, or the default key.</summary>
    public IReadOnlyList<string> EffectiveApiKeys =>
        ApiKeys.Count > 0 ? ApiKeys.Distinct(StringComparer.Ordinal).ToArray() : [DefaultApiKey];

    /// <summary>Throws <see cref="ArgumentException"/> describing the first invalid setting.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }

        Require(TimeScale > 0 && double.IsFinite(TimeScale), "--time-scale must be a positive number.");
        Require(CreditUsd >= 0, "--credit must not be negative.");
        Require(JobMilliseconds is null or >= 0, "--job-ms must not be negative.");
        Require(JobMillisecondsMax is null || (JobMilliseconds is { } min && JobMillisecondsMax >= min),
            "--job-ms min-max needs min <= max.");
        Require(Fault500Rate is >= 0 and <= 1, "--fault-500-rate must be between 0 and 1.");
        Require(Fault503Rate is >= 0 and <= 1, "--fault-503-rate must be between 0 and 1.");
        Require(FaultAbortRate is >= 0 and <= 1, "--fault-abort-rate must be between 0 and 1.");
        Require(FaultJobFailRate is >= 0 and <= 1, "--fault-job-fail-rate must be between 0 and 1.");
        Require(Fault503Burst >= 0, "--fault-503-burst must not be negative.");
        Require(FaultRetryAfterSeconds >= 0, "--fault-retry-after must not be negative.");
        Require(FaultRetryAfterMs is null or >= 0, "--fault-retry-after-ms must not be negative.");
        Require(FaultLatencyMs >= 0, "--fault-latency-ms must not be negative.");
        Require(FaultJobFailCode is "instance_died" or "dispatch_failed",
            "--fault-job-fail-code must be instance_died or dispatch_failed.");
        Require(MaxBodyBytes > 0 && MaxFetchBytes > 0, "Size limits must be positive.");
        Require(CallbackAttempts >= 1, "--callback-attempts must be at least 1.");
        Require(ApiKeys.All(k => !string.IsNullOrWhiteSpace(k)), "--api-key must not be empty.");
        if (StaticDirectory is { Length: > 0 } folder)
            Require(Directory.Exists(folder), $"--static-dir: the folder '{Path.GetFullPath(folder)}' does not exist.");
        foreach (var price in new[] { PriceDefault, PriceIdentityDefault, PriceEnhance, PriceEnhanceIdentity,
                     PriceRemix, PriceRemixIdentity, PriceProfileStandard, PriceProfileFast })
            Require(price >= 0, "Prices must not be negative.");
        Require(ModelPrices.Values.All(p => p.PerImage >= 0 && p.PerImageWithIdentity >= 0), "Prices must not be negative.");
    }
}

/// <summary>Price of one output image of a base model, without and with a recognised profile.</summary>
public readonly record struct ModelPrice(decimal PerImage, decimal PerImageWithIdentity);
