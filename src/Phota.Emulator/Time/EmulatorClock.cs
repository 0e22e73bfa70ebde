namespace Phota.Emulator.Time;

/// <summary>
/// Timestamps come from a <see cref="TimeProvider"/>; documented durations are multiplied by the
/// time scale. Lifecycle states are computed from timestamps, never driven by timers, so they
/// survive restarts and a test can move the clock.
/// </summary>
internal sealed class EmulatorClock(TimeProvider time, double scale)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public double Scale => scale;

    public TimeSpan Scaled(TimeSpan documented) => TimeSpan.FromTicks((long)Math.Round(documented.Ticks * scale));

    /// <summary>Waits real time (also when the provider is a hand-moved test clock).</summary>
    public static Task Delay(TimeSpan delay, CancellationToken ct = default) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, ct);
}
