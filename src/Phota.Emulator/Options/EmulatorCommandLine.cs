using System.Globalization;
using System.Text;

namespace Phota.Emulator.Options;

/// <summary>Parses the emulator's command line into <see cref="EmulatorOptions"/> and writes <c>--help</c>.</summary>
internal static class EmulatorCommandLine
{
    private sealed record Option(string Name, string? Value, string Default, string Help, Action<EmulatorOptions, string> Apply);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Option[] All =
    [
        new("--urls", "<url>", EmulatorOptions.DefaultUrls, "Listen address(es), ';'-separated. Loopback only unless --allow-non-loopback.", (o, v) => o.Urls = v),
        new("--allow-non-loopback", null, "off", "Allow listening on an address that is not loopback.", (o, _) => o.AllowNonLoopback = true),
        new("--api-key", "<key>", EmulatorOptions.DefaultApiKey, "Accepted API key (repeatable). Without it the documented test key is accepted.", (o, v) => o.ApiKeys.Add(v)),
        new("--credit", "<usd>", "100", "Starting prepaid balance of every key, in USD.", (o, v) => o.CreditUsd = Dec(v)),
        new("--time-scale", "<factor>", "1", "Multiplies every documented duration (0.001: a thousand times shorter).", (o, v) => o.TimeScale = Dbl(v)),
        new("--job-ms", "<ms>|<min>-<max>", "2000 + 1000 per output image, scaled", "Wall-clock processing time of every studio job, sync or async: fixed, or drawn uniformly from min-max per job (see --seed).", ApplyJobMilliseconds),
        new("--seed", "<n>", "random", "Seed for job times drawn from a --job-ms range (same seed and order of submits: same times).", (o, v) => o.Seed = Int(v)),
        new("--state-file", "<path>", "none", "Persist accounts, balances, profiles, jobs, idempotency keys and secrets (atomic writes).", (o, v) => o.StateFile = v),
        new("--job-retry-after", null, "off", "Send retry-after-ms / Retry-After (time left) on pending and running job statuses. Not in the API documents: for experiments only.", (o, _) => o.JobRetryAfterHint = true),
        new("--static-dir", "<dir>", "none", "Serve this folder's files without a key at /_emulator/static/<path>, so local photos can be passed as URLs (relative to the folder the emulator is started from).", (o, v) => o.StaticDirectory = Path.GetFullPath(v)),
        new("--allow-remote-fetch", null, "off", "Fetch input URLs from, and deliver callbacks to, hosts other than loopback.", (o, _) => o.AllowRemoteFetch = true),

        new("--price-default", "<usd>", "0.12", "Edit/generate price per output image (base models without --price-model).", (o, v) => o.PriceDefault = Dec(v)),
        new("--price-identity-default", "<usd>", "0.15", "Edit/generate price per output image when a profile is recognised.", (o, v) => o.PriceIdentityDefault = Dec(v)),
        new("--price-model", "<model>=<usd>[:<usd>]", "none", "Price of one base model (repeatable): per image, and with identity (default: same).", ApplyModelPrice),
        new("--price-enhance", "<usd>", "0.12", "Enhance price per output image.", (o, v) => o.PriceEnhance = Dec(v)),
        new("--price-enhance-identity", "<usd>", "0.15", "Enhance price per output image with identity.", (o, v) => o.PriceEnhanceIdentity = Dec(v)),
        new("--price-remix", "<usd>", "0.12", "Remix price per output image.", (o, v) => o.PriceRemix = Dec(v)),
        new("--price-remix-identity", "<usd>", "0.15", "Remix price per output image with identity.", (o, v) => o.PriceRemixIdentity = Dec(v)),
        new("--price-profile-standard", "<usd>", "2.90", "Full Train (standard tier) price per profile.", (o, v) => o.PriceProfileStandard = Dec(v)),
        new("--price-profile-fast", "<usd>", "1.49", "Quick Train (fast tier) price per profile.", (o, v) => o.PriceProfileFast = Dec(v)),

        new("--quick-train-s", "<s>", "180", "Quick Train duration with 10 images (5 images: half), before scaling.", (o, v) => o.QuickTrainDuration = Secs(v)),
        new("--full-train-s", "<s>", "480", "Full Train duration with 50 images (10 images: half), before scaling.", (o, v) => o.FullTrainDuration = Secs(v)),
        new("--sync-limit-s", "<s>", "600", "Synchronous time limit (then 504 and a refund), before scaling.", (o, v) => o.SyncTimeLimit = Secs(v)),
        new("--result-expiry-s", "<s>", "86400", "How long an async job's result stays available (then 410), before scaling.", (o, v) => o.ResultExpiry = Secs(v)),
        new("--link-expiry-s", "<s>", "86400", "Lifetime of signed download links, before scaling.", (o, v) => o.DownloadLinkExpiry = Secs(v)),
        new("--inactive-after-s", "<s>", "7776000", "Idle time after which a READY profile becomes INACTIVE (90 days), before scaling.", (o, v) => o.ProfileInactiveAfter = Secs(v)),

        new("--max-body-mb", "<mb>", "80", "Largest accepted request body (larger: 400).", (o, v) => o.MaxBodyBytes = (long)(Dbl(v) * 1024 * 1024)),
        new("--max-fetch-mb", "<mb>", "50", "Largest image fetched from a URL.", (o, v) => o.MaxFetchBytes = (long)(Dbl(v) * 1024 * 1024)),
        new("--fetch-timeout-s", "<s>", "10", "Timeout of one URL fetch (wall clock).", (o, v) => o.FetchTimeout = TimeSpan.FromSeconds(Dbl(v))),
        new("--blocked-term", "<text>", "nsfw, gore, nude, naked", "Prompt term answered with 400 CONTENT_MODERATION (repeatable; replaces the defaults).", ApplyBlockedTerm),
        new("--callback-attempts", "<n>", "4", "Delivery attempts per job callback.", (o, v) => o.CallbackAttempts = Int(v)),
        new("--callback-backoff-s", "<s>", "2", "Wait before the first callback retry (doubles each time), before scaling.", (o, v) => o.CallbackBackoff = Secs(v)),

        new("--fault-503-rate", "<0..1>", "0", "Share of studio submits and job polls answered 503 SERVICE_UNAVAILABLE.", (o, v) => o.Fault503Rate = Dbl(v)),
        new("--fault-500-rate", "<0..1>", "0", "Share of requests to the operations that declare 500 answered 500 INTERNAL_ERROR (not run, not charged).", (o, v) => o.Fault500Rate = Dbl(v)),
        new("--fault-503-burst", "<n>", "0", "The next n studio submits/job polls are answered 503.", (o, v) => o.Fault503Burst = Int(v)),
        new("--fault-retry-after", "<seconds>", "1", "Retry-After sent with injected 503s.", (o, v) => o.FaultRetryAfterSeconds = Int(v)),
        new("--fault-retry-after-ms", "<ms>", "off", "Delay asked by injected 503s in milliseconds: retry-after-ms, and Retry-After rounded up (overrides --fault-retry-after).", (o, v) => o.FaultRetryAfterMs = Int(v)),
        new("--fault-latency-ms", "<ms>", "0", "Added latency before every API request (wall clock).", (o, v) => o.FaultLatencyMs = Int(v)),
        new("--fault-abort-rate", "<0..1>", "0", "Share of requests whose connection is aborted mid-response.", (o, v) => o.FaultAbortRate = Dbl(v)),
        new("--fault-job-fail-rate", "<0..1>", "0", "Share of async jobs that fail.", (o, v) => o.FaultJobFailRate = Dbl(v)),
        new("--fault-job-fail-code", "<code>", "instance_died", "Code of injected job failures: instance_died or dispatch_failed.", (o, v) => o.FaultJobFailCode = v),
        new("--fault-seed", "<n>", "random", "Seed for fault decisions (same seed and request order: same faults).", (o, v) => o.FaultSeed = Int(v)),
    ];

    /// <summary>Result of parsing: options, or a request for help, or an error message.</summary>
    internal sealed record ParseResult(EmulatorOptions? Options, bool ShowHelp, string? Error);

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions();
        var blockedTermsGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?" or "/?")
                return new ParseResult(null, true, null);

            var name = arg;
            string? inlineValue = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }

            var option = All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (option is null)
                return new ParseResult(null, false, $"Unknown option '{name}'. Run with --help to list the options.");

            string value;
            if (option.Value is null)
            {
                if (inlineValue is not null)
                    return new ParseResult(null, false, $"Option {option.Name} takes no value.");
                value = "";
            }
            else if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                return new ParseResult(null, false, $"Option {option.Name} needs a value {option.Value}.");
            }

            if (option.Name == "--blocked-term" && !blockedTermsGiven)
            {
                options.BlockedTerms.Clear();
                blockedTermsGiven = true;
            }

            try
            {
                option.Apply(options, value);
            }
            catch (FormatException)
            {
                return new ParseResult(null, false, $"Option {option.Name}: '{value}' is not a valid {option.Value}.");
            }
            catch (OverflowException)
            {
                return new ParseResult(null, false, $"Option {option.Name}: '{value}' is out of range.");
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            return new ParseResult(null, false, ex.Message);
        }

        return new ParseResult(options, false, null);
    }

    public static string HelpText()
    {
        var sb = new StringBuilder();
        sb.AppendLine("Phota API emulator: a local server implementing the Phota API (v0.7.0) for trying and testing.");
        sb.AppendLine();
        sb.AppendLine("Usage: Phota.Emulator [options]");
        sb.AppendLine();
        sb.AppendLine("Options (default in brackets):");
        foreach (var o in All)
        {
            var left = o.Value is null ? o.Name : $"{o.Name} {o.Value}";
            sb.Append("  ").Append(left.PadRight(36)).Append(o.Help).Append(" [").Append(o.Default).AppendLine("]");
        }

        sb.AppendLine("  --help".PadRight(38) + "Show this list.");
        sb.AppendLine();
        sb.AppendLine("Paths under /_emulator/ are not part of the Phota API: GET /_emulator/account (with X-API-Key)");
        sb.AppendLine("answers the caller's balance and counters; /_emulator/files/ serves signed download links.");
        return sb.ToString();
    }

    private static decimal Dec(string v) => decimal.Parse(v, NumberStyles.Number, Inv);

    private static double Dbl(string v) => double.Parse(v, NumberStyles.Float, Inv);

    private static int Int(string v) => int.Parse(v, NumberStyles.Integer, Inv);

    private static TimeSpan Secs(string v)
    {
        var seconds = Dbl(v);
        if (seconds < 0 || !double.IsFinite(seconds)) throw new FormatException();
        return TimeSpan.FromSeconds(seconds);
    }

    private static void ApplyJobMilliseconds(EmulatorOptions o, string v)
    {
        var dash = v.IndexOf('-', 1);
        if (dash < 0)
        {
            o.JobMilliseconds = Int(v);
            o.JobMillisecondsMax = null;
            return;
        }

        o.JobMilliseconds = Int(v[..dash]);
        o.JobMillisecondsMax = Int(v[(dash + 1)..]);
    }

    private static void ApplyBlockedTerm(EmulatorOptions o, string v)
    {
        if (!string.IsNullOrWhiteSpace(v)) o.BlockedTerms.Add(v);
    }

    private static void ApplyModelPrice(EmulatorOptions o, string v)
    {
        var eq = v.IndexOf('=');
        if (eq <= 0) throw new FormatException();
        var model = v[..eq].Trim();
        var prices = v[(eq + 1)..].Split(':');
        if (prices.Length is < 1 or > 2) throw new FormatException();
        var perImage = Dec(prices[0]);
        var withIdentity = prices.Length == 2 ? Dec(prices[1]) : perImage;
        o.ModelPrices[model] = new ModelPrice(perImage, withIdentity);
    }
}
