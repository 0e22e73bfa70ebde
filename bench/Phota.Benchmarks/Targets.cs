namespace Phota.Benchmarks;

/// <summary>The targets of the benchmark issue, checked against one run.</summary>
internal static class Targets
{
    public const double MaxRatioToIdealAt8 = 1.15;
    public const double MinSpeedupOverNaiveAt8 = 6.0;
    public const double MaxAllocatedPerFileByte = 1.5;
    public const double MaxPollsPerJobWithoutHint = 8;

    /// <summary>
    /// "Flat" peak working set: from the smallest to the largest file, the peak may grow by at most this share of the
    /// size difference, and never less than <see cref="PeakGrowthNoiseMb"/> (page-level noise between processes).
    /// </summary>
    public const double MaxPeakGrowthPerFileByte = 0.10;

    public const double PeakGrowthNoiseMb = 1.0;

    public static List<TargetCheck> Evaluate(IReadOnlyList<ThroughputRow> throughput, IReadOnlyList<UploadRow> upload)
    {
        var checks = new List<TargetCheck>();

        // With the emulator's hint, fixed 200 ms jobs: no slower than before the poller learned run times.
        var hinted = throughput.Where(r => r.ServerHint).ToList();
        var at8 = hinted.FirstOrDefault(r => r.Mode == "library" && r.Concurrency == 8);
        var naive = hinted.FirstOrDefault(r => r.Mode == "naive");
        if (at8 is not null)
        {
            checks.Add(new TargetCheck("throughput_c8_ratio_to_ideal", $"<= {MaxRatioToIdealAt8}", at8.Ratio, at8.Ratio <= MaxRatioToIdealAt8 && at8.Failed == 0));
            if (naive is not null)
            {
                checks.Add(Speedup("throughput_c8_speedup_over_naive", naive, at8));
            }
        }

        // Without a hint (as the API documents), job times drawn from a range: per range, against the fixed schedule.
        foreach (var row in throughput.Where(r => !r.ServerHint && r.Mode == "library" && r.Concurrency == 8 && r.JobMs is not null))
        {
            var name = $"no_hint_jobs_{row.JobMs![0]}_{row.JobMs[1]}_ms_c8";
            bool Same(ThroughputRow other) => !other.ServerHint && other.JobMs is { } range && range.SequenceEqual(row.JobMs);
            checks.Add(new TargetCheck(name + "_ratio_to_ideal", $"<= {MaxRatioToIdealAt8}", row.Ratio, row.Ratio <= MaxRatioToIdealAt8 && row.Failed == 0));
            checks.Add(new TargetCheck(name + "_polls_per_job", $"<= {MaxPollsPerJobWithoutHint}", row.PollsPerJob ?? 0, row.PollsPerJob <= MaxPollsPerJobWithoutHint));
            if (throughput.FirstOrDefault(r => r.Mode == ThroughputBenchmark.FixedScheduleMode && r.Concurrency == 8 && Same(r)) is { } fixedSchedule)
            {
                // Fixed-schedule wall per item over the library's (both ran the same number of jobs with the same seed).
                var faster = Math.Round(fixedSchedule.WallMs / fixedSchedule.N / (row.WallMs / row.N), 3);
                checks.Add(new TargetCheck(name + "_speedup_over_fixed_schedule", "> 1", faster, faster > 1));
            }

            if (throughput.FirstOrDefault(r => r.Mode == "naive" && Same(r)) is { } slow)
            {
                checks.Add(Speedup(name + "_speedup_over_naive", slow, row));
            }
        }

        var library = upload.Where(r => r.Mode == "library").OrderBy(r => r.FileMb).ToList();
        if (library.Count > 0)
        {
            var worst = library.Max(r => r.AllocatedRatio);
            checks.Add(new TargetCheck("upload_allocated_per_file_byte", $"<= {MaxAllocatedPerFileByte}", worst, worst <= MaxAllocatedPerFileByte));
        }

        if (library.Count > 1)
        {
            var growth = Math.Round(library[^1].PeakWsMb - library[0].PeakWsMb, 1);
            var allowed = Math.Round(Math.Max(PeakGrowthNoiseMb, MaxPeakGrowthPerFileByte * (library[^1].FileMb - library[0].FileMb)), 1);
            checks.Add(new TargetCheck($"upload_peak_ws_growth_mb_{library[0].FileMb:0}_to_{library[^1].FileMb:0}_mb_file", $"<= {allowed} (flat)", growth, growth <= allowed));
        }

        return checks;
    }

    /// <summary>Per item, so a shorter naive batch compares fairly; with equal N it is naive wall / library wall.</summary>
    private static TargetCheck Speedup(string name, ThroughputRow naive, ThroughputRow library)
    {
        var speedup = Math.Round(naive.WallMs / naive.N / (library.WallMs / library.N), 2);
        return new TargetCheck(name, $">= {MinSpeedupOverNaiveAt8}", speedup, speedup >= MinSpeedupOverNaiveAt8);
    }
}
