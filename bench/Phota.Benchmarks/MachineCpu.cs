using System.Globalization;

namespace Phota.Benchmarks;

/// <summary>
/// CPU time used by every process on the machine (Linux <c>/proc/stat</c>), to tell the benchmark's own use of the
/// cores (client and emulator) from everything else running at the same time.
/// </summary>
internal readonly record struct MachineCpu(double BusyMs, double StealMs)
{
    // /proc/stat counts in USER_HZ, which is 100 on every Linux the runtime supports.
    private const double MsPerTick = 10;

    public static MachineCpu? Read()
    {
        try
        {
            if (!File.Exists("/proc/stat"))
            {
                return null;
            }

            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...
            double F(int i) => i < fields.Length ? double.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            var busy = F(1) + F(2) + F(3) + F(6) + F(7);
            return new MachineCpu(busy * MsPerTick, F(8) * MsPerTick);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public static MachineCpu? Since(MachineCpu? start) =>
        start is { } s && Read() is { } now ? new MachineCpu(now.BusyMs - s.BusyMs, now.StealMs - s.StealMs) : null;
}
