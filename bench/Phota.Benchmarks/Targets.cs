namespace Phota.Benchmarks;

/// <summary>The targets of the benchmark issue, checked against one run.</summary>
internal static class Targets
{
    public const double MaxRatioToIdealAt8 = 1.15;
    public const double MinSpeedupOverNaiveAt8 = 6.0;
    public const double MaxAllocatedPerFileByte = 1.5;

    /// <summary>
    /// "Flat" peak working set: from the smallest to the largest file, the peak may grow by at most this share of the
    /// size difference, and never less than <see cref="PeakGrowthNoiseMb"/> (page-level noise between processes).
    /// </summary>
    public const double MaxPeakGrowthPerFileByte = 0.10;

    public const double PeakGrowthNoiseMb = 1.0;

    public static List<TargetCheck> Evaluate(IReadOnlyList<ThroughputRow> throughput, IReadOnlyList<UploadRow> upload)
    {
        var checks = new List<TargetCheck>();
        var at8 = throughput.FirstOrDefault(r => r.Mode == "library" && r.Concurrency == 8);
        var naive = throughput.FirstOrDefault(r => r.Mode == "naive");
        if (at8 is not null)
        {
            checks.Add(new TargetCheck("throughput_c8_ratio_to_ideal", $"<= {MaxRatioToIdealAt8}", at8.Ratio, at8.Ratio <= MaxRatioToIdealAt8 && at8.Failed == 0));
            if (naive is not null)
            {
                // Per item, so a shorter naive batch (quick mode) compares fairly; with equal N it is naive wall / library wall.
                var speedup = Math.Round(naive.WallMs / naive.N / (at8.WallMs / at8.N), 2);
                checks.Add(new TargetCheck("throughput_c8_speedup_over_naive", $">= {MinSpeedupOverNaiveAt8}", speedup, speedup >= MinSpeedupOverNaiveAt8));
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
}
