using System.Diagnostics;

namespace Phota.Benchmarks;

/// <summary>CPU time of the client process, the emulator process and the whole machine over one measured run.</summary>
internal readonly record struct CpuWindow(TimeSpan Client, TimeSpan Server, MachineCpu? Machine)
{
    public static CpuWindow Start(BenchEmulator emulator) =>
        new(Process.GetCurrentProcess().TotalProcessorTime, emulator.CpuTime, MachineCpu.Read());

    /// <summary>The CPU used since <see cref="Start"/>.</summary>
    public CpuWindow Stop(BenchEmulator emulator) =>
        new(Process.GetCurrentProcess().TotalProcessorTime - Client, emulator.CpuTime - Server, MachineCpu.Since(Machine));

    /// <summary>Fills a row's CPU fields from a stopped window.</summary>
    public ThroughputRow Apply(ThroughputRow row) => row with
    {
        ClientCpuMs = Math.Round(Client.TotalMilliseconds),
        ServerCpuMs = Math.Round(Server.TotalMilliseconds),
        MachineCpuMs = Machine is { } m ? Math.Round(m.BusyMs) : null,
        OtherCpuMs = Machine is { } o ? Math.Round(Math.Max(0, o.BusyMs - Client.TotalMilliseconds - Server.TotalMilliseconds)) : null,
        StealMs = Machine is { } s ? Math.Round(s.StealMs) : null,
    };
}
