namespace Phota.Benchmarks;

/// <summary>
/// Upload cost per file size and mode. Every measurement runs in a fresh client process (<see cref="UploadProbe"/>)
/// against the emulator process, so the numbers are the client's alone; the medians of the repeats are reported.
/// </summary>
internal sealed class UploadBenchmark(BenchEmulator emulator, string warmupPhoto, string workDirectory)
{
    private const double Mb = 1024 * 1024;

    public async Task<UploadRow> RunAsync(string mode, string file, int repeats, CancellationToken cancellationToken)
    {
        var measurements = new List<UploadProbe.Measurement>();
        for (var i = 0; i < repeats; i++)
        {
            measurements.Add(await ProbeAsync(mode, file, cancellationToken).ConfigureAwait(false));
        }

        var fileBytes = measurements[0].FileBytes;
        var allocated = Median(measurements.Select(m => (double)m.AllocatedBytes));
        var peak = Median(measurements.Select(m => (double)m.PeakBytes));
        var baseline = Median(measurements.Select(m => (double)m.BaselineBytes));
        return new UploadRow
        {
            Mode = mode,
            FileMb = Math.Round(fileBytes / Mb, 2),
            AllocatedMb = Math.Round(allocated / Mb, 2),
            PeakWsMb = Math.Round(peak / Mb, 1),
            CpuMsPerMb = Math.Round(Median(measurements.Select(m => m.CpuMs)) / (fileBytes / Mb), 2),
            AllocatedRatio = Math.Round(allocated / fileBytes, 3),
            BaselineWsMb = Math.Round(baseline / Mb, 1),
            PeakWsGrowthMb = Math.Round(Median(measurements.Select(m => (double)(m.PeakBytes - m.BaselineBytes))) / Mb, 1),
            UploadMs = Math.Round(Median(measurements.Select(m => m.WallMs)), 1),
            GcCommittedGrowthMb = Math.Round(Median(measurements.Select(m => (double)(m.GcCommittedAfter - m.GcCommittedBefore))) / Mb, 2),
            RssAfter = measurements[^1].RssAfter,
            Repeats = repeats,
            PeakMethod = measurements[0].PeakMethod,
        };
    }

    private Task<UploadProbe.Measurement> ProbeAsync(string mode, string file, CancellationToken cancellationToken)
        => Probe.RunAsync<UploadProbe.Measurement>(UploadProbe.Verb,
            [emulator.BaseAddress.AbsoluteUri, emulator.ApiKey, mode, file, warmupPhoto, workDirectory], TimeSpan.FromMinutes(3), null, cancellationToken);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
