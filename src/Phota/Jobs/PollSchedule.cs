namespace Phota.Jobs;

/// <summary>What the client knows when it decides how long to wait before checking a job (or a profile) again.</summary>
public readonly record struct PollContext
{
    /// <summary>Time since the job was submitted (or, when that is unknown, since the wait began).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Status checks of this job made so far (0: deciding when to make the first).</summary>
    public int Polls { get; init; }

    /// <summary>
    /// The shortest run time among recent jobs of the same operation, model, resolution and output count in this
    /// session, measured by the server (<c>completed_at - created_at</c>); null when none has finished yet.
    /// </summary>
    public TimeSpan? ShortestRunTime { get; init; }

    /// <summary>How many such run times the session has seen (the window is the most recent ones).</summary>
    public int RunTimesSeen { get; init; }
}

/// <summary>
/// When to check a job (or a profile) that is not finished yet. The client applies the fixed rules around whatever
/// the schedule says: a server's <c>retry-after-ms</c> / <c>Retry-After</c> replaces it, two checks of one job are
/// never closer than <see cref="PhotaClientOptions.MinPollDelay"/>, and the session's checks stay under
/// <see cref="PhotaClientOptions.MaxPollsPerSecond"/>. The default (<see cref="Adaptive"/>) suits every job length;
/// replacing it is for experiments and measurements.
/// </summary>
public abstract class PollSchedule
{
    /// <summary>The library's default for jobs: see <see cref="AdaptivePollSchedule"/>.</summary>
    public static PollSchedule Adaptive { get; } = new AdaptivePollSchedule();

    /// <summary>
    /// A fixed list of delays: the first check at once, then <paramref name="delays"/> in turn, then every
    /// <paramref name="interval"/>, whatever the job (the library's schedule before it learned run times was 1, 1,
    /// 2, 2, 3, 5 s, then every 5 s).
    /// </summary>
    public static PollSchedule Fixed(IReadOnlyList<TimeSpan> delays, TimeSpan interval) => new FixedPollSchedule(delays, interval);

    /// <summary>The wait before the next check, given what is known (the client then applies its rules).</summary>
    public abstract TimeSpan NextDelay(PollContext context);
}

/// <summary>
/// The default schedule. Checks a job first when the shortest recent job of the same kind would have finished, and
/// from then on after gaps that grow with the time the job has run (<see cref="Growth"/> of it), so a finished job
/// is noticed within that fraction of its run time, for a 2 s job and a 2 min job alike, at a request count that
/// grows only with the logarithm of the run time. With nothing learned yet it starts at <see cref="FirstDelay"/>
/// and grows faster (<see cref="UnknownGrowth"/>). A job submitted long ago is checked at once.
/// </summary>
public sealed class AdaptivePollSchedule : PollSchedule
{
    /// <summary>The first check of a job of a kind this session has not seen finish yet.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gap between checks as a share of the time the job has run, once run times of its kind are known.</summary>
    public double Growth { get; init; } = 0.15;

    /// <summary>The same while nothing is known: fewer requests for the first job, noticed a little later.</summary>
    public double UnknownGrowth { get; init; } = 0.25;

    /// <summary>Added to a learned run time, so a check aimed at the expected finish does not arrive just before it.</summary>
    public TimeSpan FinishMargin { get; init; } = TimeSpan.FromMilliseconds(3);

    /// <summary>The longest gap between two checks.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Recent run times needed before the first check is aimed at the shortest of them; with fewer, it is aimed at
    /// half of it (one long job must not make the next, shorter ones wait).
    /// </summary>
    public int RunTimesToTrust { get; init; } = 3;

    public override TimeSpan NextDelay(PollContext context)
    {
        var elapsed = context.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : context.Elapsed;
        TimeSpan? expected = context.ShortestRunTime is { } shortest
            ? context.RunTimesSeen >= RunTimesToTrust ? shortest + FinishMargin : shortest / 2
            : null;
        if (context.Polls == 0)
        {
            var first = (expected ?? FirstDelay) - elapsed;
            return first > TimeSpan.Zero ? Cap(first) : TimeSpan.Zero;
        }

        if (expected is { } earliest && elapsed < earliest)
        {
            return Cap(earliest - elapsed);
        }

        return Cap(elapsed * (expected is null ? UnknownGrowth : Growth));
    }

    private TimeSpan Cap(TimeSpan delay) => delay > MaxDelay ? MaxDelay : delay;
}

/// <summary>A fixed list of delays (see <see cref="PollSchedule.Fixed"/>).</summary>
internal sealed class FixedPollSchedule : PollSchedule
{
    private readonly TimeSpan[] _delays;
    private readonly TimeSpan _interval;

    public FixedPollSchedule(IReadOnlyList<TimeSpan> delays, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(delays);
        if (delays.Any(d => d < TimeSpan.Zero) || interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delays), "Poll delays must not be negative, and the interval must be positive.");
        }

        _delays = delays.ToArray();
        _interval = interval;
    }

    public override TimeSpan NextDelay(PollContext context)
        => context.Polls == 0 ? TimeSpan.Zero
            : context.Polls - 1 < _delays.Length ? _delays[context.Polls - 1]
            : _interval;
}

/// <summary>The rules the client applies around any schedule, for job and profile waits alike.</summary>
internal static class PollRules
{
    /// <summary>
    /// The wait before the next check: the server's hint when it gave one (at most
    /// <see cref="PhotaClientOptions.MaxRetryAfter"/>), else the schedule's; after a check, never under
    /// <see cref="PhotaClientOptions.MinPollDelay"/>.
    /// </summary>
    public static TimeSpan NextDelay(PhotaClientOptions options, PollSchedule schedule, PollContext context, TimeSpan? hint)
    {
        var delay = hint is { } asked
            ? asked > options.MaxRetryAfter ? options.MaxRetryAfter : asked
            : schedule.NextDelay(context);
        return context.Polls > 0 && delay < options.MinPollDelay ? options.MinPollDelay : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
