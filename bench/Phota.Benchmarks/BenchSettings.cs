namespace Phota.Benchmarks;

/// <summary>The sizes of a run: the full run of the benchmark issue, or the quick run (same shape, under a minute).</summary>
internal sealed record BenchSettings
{
    public required bool Quick { get; init; }

    public required int ThroughputN { get; init; }

    public IReadOnlyList<int> Concurrencies { get; init; } = [1, 4, 8, 16];

    public int ServerMs { get; init; } = 200;

    public required IReadOnlyList<int> UploadMb { get; init; }

    public required int UploadRepeats { get; init; }

    public required Models.Resolution DownloadResolution { get; init; }

    public required int DownloadRepeats { get; init; }

    public required IReadOnlyList<int> PollingServerMs { get; init; }

    public required int PollingJobs { get; init; }

    /// <summary>
    /// Whether to run the explanatory throughput diagnostics beyond the protocol floor: the journal on tmpfs, and an
    /// emulator that sends no poll hint (slow: the schedule's 1 s decides). The floor runs in both modes, so a quick
    /// run can tell a library regression (library / floor grows) from a busy machine (both grow).
    /// </summary>
    public required bool AllDiagnostics { get; init; }

    /// <summary>Hard limit for the whole run; every loop is also bounded by its count.</summary>
    public required TimeSpan TimeLimit { get; init; }

    public static BenchSettings Full { get; } = new()
    {
        Quick = false,
        ThroughputN = 200,
        UploadMb = [1, 8, 32],
        UploadRepeats = 3,
        DownloadResolution = Models.Resolution.FourK,
        DownloadRepeats = 3,
        PollingServerMs = [200, 5000],
        PollingJobs = 8,
        AllDiagnostics = true,
        TimeLimit = TimeSpan.FromMinutes(30),
    };

    public static BenchSettings QuickRun { get; } = new()
    {
        Quick = true,
        // Eight rounds at concurrency 8: enough for the steady state to outweigh the first submit and the last save.
        ThroughputN = 64,
        // Concurrency 1 would take as long as the naive loop; the targets are at 8.
        Concurrencies = [4, 8, 16],
        UploadMb = [1, 2, 4],
        UploadRepeats = 1,
        DownloadResolution = Models.Resolution.TwoK,
        DownloadRepeats = 1,
        PollingServerMs = [200, 1500],
        PollingJobs = 4,
        AllDiagnostics = false,
        TimeLimit = TimeSpan.FromMinutes(3),
    };
}
