using System.Diagnostics;
using System.Text.Json;

namespace Phota.Benchmarks;

/// <summary>
/// Upload cost per file size and mode. Every measurement runs in a fresh client process (<see cref="UploadProbe"/>)
/// against the emulator process, so the numbers are the client's alone; the medians of the repeats are reported.
/// </summary>
internal sealed class UploadBenchmark(EmulatorProcess emulator, string warmupPhoto, string workDirectory)
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

    private async Task<UploadProbe.Measurement> ProbeAsync(string mode, string file, CancellationToken cancellationToken)
    {
        var start = ChildProcess.StartInfo(UploadProbe.Verb,
            emulator.BaseAddress.AbsoluteUri, emulator.ApiKey, mode, file, warmupPhoto, workDirectory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The upload probe did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {mode} upload probe of {Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        return JsonSerializer.Deserialize<UploadProbe.Measurement>(line)
            ?? throw new InvalidOperationException("The upload probe wrote no measurement.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
