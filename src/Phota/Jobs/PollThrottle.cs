namespace Phota.Jobs;

/// <summary>
/// The ceiling on status checks per second shared by every job and profile wait of a session: each check takes the
/// next free slot, and slots are at least 1 / rate apart, so no second-long window holds more than the rate (plus
/// one). Slots are taken when a check is due, in time order, never booked ahead.
/// </summary>
internal sealed class PollThrottle
{
    private readonly object _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    /// <summary>When a check due at <paramref name="now"/> may be sent, at <paramref name="perSecond"/> checks a second at most.</summary>
    public DateTimeOffset Reserve(DateTimeOffset now, double perSecond)
    {
        if (!(perSecond > 0) || double.IsPositiveInfinity(perSecond))
        {
            return now;
        }

        var spacing = TimeSpan.FromTicks((long)Math.Ceiling(TimeSpan.TicksPerSecond / perSecond));
        lock (_gate)
        {
            var at = now > _next ? now : _next;
            _next = at + spacing;
            return at;
        }
    }

    /// <summary>Waits for the next slot (no wait when one is free now).</summary>
    public async Task WaitTurnAsync(TimeProvider time, double perSecond, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var at = Reserve(now, perSecond);
        if (at > now)
        {
            await Task.Delay(at - now, time, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>What a session learns and shares while it waits for jobs and profiles: run times and the check ceiling.</summary>
internal sealed class SessionPolling
{
    public RunTimeHistory RunTimes { get; } = new();

    public PollThrottle Throttle { get; } = new();
}
