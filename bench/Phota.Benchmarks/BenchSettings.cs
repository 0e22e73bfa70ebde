namespace Phota.Benchmarks;

/// <summary>The sizes of a run: the full run of the benchmark issue, or the quick run (same shape, under a minute).</summary>
internal sealed record BenchSettings
{
    public required bool Quick { get; init; }

    public required int ThroughputN { get; init; }

    /// <summary>
    /// Items in the naive loop's batch: null means <see cref="ThroughputN"/>. The loop is sequential, so its time per
    /// item does not depend on N; the speed-up is compared per item (see <see cref="Targets"/>).
    /// </summary>
    public int? NaiveN { get; init; }

    public IReadOnlyList<int> Concurrencies { get; init; } = [1, 4, 8, 16];

    public int ServerMs { get; init; } = 200;

    public required IReadOnlyList<int> UploadMb { get; init; }

    public required int UploadRepeats { get; init; }

    public required Models.Resolution DownloadResolution { get; init; }

    public required int DownloadRepeats { get; init; }

    /// <summary>
    /// Job-time ranges (ms) of the no-hint batch rows: the library and the fixed schedule at concurrency 8 on
    /// <see cref="VariedN"/> jobs each, against an emulator that says nothing about when a job will be done.
    /// </summary>
    public required IReadOnlyList<(int Min, int Max)> VariedJobMs { get; init; }

    public int VariedN { get; init; } = 128;

    /// <summary>Items of the naive loop on the first range (sequential: its time per item does not depend on N).</summary>
    public int VariedNaiveN { get; init; } = 32;

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
        VariedJobMs = [(1000, 4000), (10_000, 30_000)],
        PollingServerMs = [200, 5000],
        PollingJobs = 8,
        AllDiagnostics = true,
        TimeLimit = TimeSpan.FromMinutes(40),
    };

    public static BenchSettings QuickRun { get; } = new()
    {
        Quick = true,
        // Sixteen rounds at concurrency 8, so the steady state outweighs the first submit, the last save and the
        // spread between workers (with 64, eight rounds, the ratio reads about 0.06 higher than the full run's).
        ThroughputN = 128,
        // The sequential loop costs ~220 ms per item whatever N is; 32 items measure that within a minute's budget.
        NaiveN = 32,
        // Concurrency 1 would take as long as the naive loop; the targets are at 8.
        Concurrencies = [4, 8, 16],
        UploadMb = [1, 2, 4],
        UploadRepeats = 1,
        DownloadResolution = Models.Resolution.TwoK,
        DownloadRepeats = 1,
        VariedJobMs = [(1000, 4000)],
        PollingServerMs = [200, 1500],
        PollingJobs = 4,
        AllDiagnostics = false,
        TimeLimit = TimeSpan.FromMinutes(8),
    };
}
