namespace Phota.Emulator.Jobs;

/// <summary>
/// How long each studio job runs: exactly <c>--job-ms</c>, a time drawn uniformly from a <c>--job-ms min-max</c> range
/// (seeded by <c>--seed</c>, so the same seed and order of submits give the same times), or the documented default
/// (2 s + 1 s per output image, scaled).
/// </summary>
internal sealed class JobRunTimes(EmulatorOptions options, Time.EmulatorClock clock)
{
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : new Random();
    private readonly object _gate = new();

    public TimeSpan Next(int outputImages)
    {
        if (options.JobMilliseconds is not { } min)
            return clock.Scaled(options.JobBaseDuration + options.JobPerImageDuration * outputImages);
        if (options.JobMillisecondsMax is not { } max || max == min)
            return TimeSpan.FromMilliseconds(min);
        lock (_gate) return TimeSpan.FromMilliseconds(min + _random.NextDouble() * (max - min));
    }
}
