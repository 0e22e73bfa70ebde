using System.Globalization;

namespace Phota.Benchmarks;

/// <summary>
/// Peak resident set of this process over an interval. On Linux the kernel's high-water mark (<c>VmHWM</c>) is reset
/// by writing 5 to <c>/proc/self/clear_refs</c> and read afterwards, which misses nothing; elsewhere a thread samples
/// the working set every millisecond.
/// </summary>
internal sealed class MemoryProbe : IDisposable
{
    private readonly Thread? _sampler;
    private volatile bool _stop;
    private long _sampledPeak;

    private MemoryProbe(bool kernel)
    {
        UsesKernelPeak = kernel;
        Baseline = Environment.WorkingSet;
        _sampledPeak = Baseline;
        if (!kernel)
        {
            _sampler = new Thread(Sample) { IsBackground = true, Name = "working-set sampler" };
            _sampler.Start();
        }
    }

    public bool UsesKernelPeak { get; }

    public long Baseline { get; }

    public string Method => UsesKernelPeak ? "VmHWM" : "sampled";

    public static MemoryProbe Start()
    {
        try
        {
            if (OperatingSystem.IsLinux() && ReadStatusKb("VmHWM") is not null)
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                return new MemoryProbe(kernel: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return new MemoryProbe(kernel: false);
    }

    /// <summary>The highest resident set since <see cref="Start"/>.</summary>
    public long Peak()
    {
        if (UsesKernelPeak)
        {
            return (ReadStatusKb("VmHWM") ?? 0) * 1024;
        }

        return Math.Max(Interlocked.Read(ref _sampledPeak), Environment.WorkingSet);
    }

    public void Dispose()
    {
        _stop = true;
        _sampler?.Join();
    }

    private void Sample()
    {
        while (!_stop)
        {
            var current = Environment.WorkingSet;
            if (current > Interlocked.Read(ref _sampledPeak))
            {
                Interlocked.Exchange(ref _sampledPeak, current);
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Anonymous, file-backed and shared resident memory now (Linux), to tell heap growth from mapped files.</summary>
    public static string? RssBreakdown()
    {
        try
        {
            return OperatingSystem.IsLinux()
                ? $"anon {ReadStatusKb("RssAnon")} kB, file {ReadStatusKb("RssFile")} kB, shmem {ReadStatusKb("RssShmem")} kB"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static long? ReadStatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
