namespace Phota.Emulator.Faults;

/// <summary>
/// Decides injected faults (500s, 503s, aborts, job failures) from one seeded random sequence: the same <c>--fault-seed</c> and the
/// same order of requests give the same faults. All faults are off by default.
/// </summary>
internal sealed class FaultInjector
{
    private readonly EmulatorOptions _options;
    private readonly Random _random;
    private readonly object _gate = new();
    private int _burstRemaining;

    public FaultInjector(EmulatorOptions options)
    {
        _options = options;
        _random = options.FaultSeed is { } seed ? new Random(seed) : new Random();
        _burstRemaining = options.Fault503Burst;
    }

    /// <summary>Answer this eligible request (a studio submit or a job poll) with 503?</summary>
    public bool Next503()
    {
        if (Interlocked.Decrement(ref _burstRemaining) >= 0) return true;
        Interlocked.Exchange(ref _burstRemaining, 0);
        return Draw(_options.Fault503Rate);
    }

    /// <summary>Answer this request (to an operation that declares 500) with 500 INTERNAL_ERROR?</summary>
    public bool Next500() => Draw(_options.Fault500Rate);

    /// <summary>Abort this request's connection half-way through the response?</summary>
    public bool NextAbort() => Draw(_options.FaultAbortRate);

    /// <summary>The failure code of a new async job, or null when it succeeds.</summary>
    public string? NextJobFailure() => Draw(_options.FaultJobFailRate) ? _options.FaultJobFailCode : null;

    private bool Draw(double rate)
    {
        if (rate <= 0) return false;
        if (rate >= 1) return true;
        lock (_gate) return _random.NextDouble() < rate;
    }
}
