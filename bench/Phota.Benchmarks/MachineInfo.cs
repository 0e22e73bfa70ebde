using System.Globalization;
using System.Runtime.InteropServices;

namespace Phota.Benchmarks;

/// <summary>Where and under what load a run happened.</summary>
internal sealed record MachineInfo
{
    public required int Cores { get; init; }

    public string? CpuModel { get; init; }

    public required double MemoryGb { get; init; }

    public required string Os { get; init; }

    public required string Dotnet { get; init; }

    public required string Mode { get; init; }

    public required string StartedUtc { get; init; }

    public double DurationS { get; set; }

    /// <summary>1-minute load average when the run started and ended (Linux), for a shared machine.</summary>
    public double? LoadAvgStart { get; init; }

    public double? LoadAvgEnd { get; set; }

    public required string Gc { get; init; }

    public static MachineInfo Collect(bool quick) => new()
    {
        Cores = Environment.ProcessorCount,
        CpuModel = CpuModelName(),
        MemoryGb = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        Os = RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture,
        Dotnet = RuntimeInformation.FrameworkDescription,
        Mode = quick ? "quick" : "full",
        StartedUtc = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        LoadAvgStart = LoadAverage(),
        Gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
    };

    public static double? LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : null;
            return text is null ? null : double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? CpuModelName()
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
