using System.Diagnostics;

namespace Phota.Benchmarks;

/// <summary>Starts this executable again with another verb (emulator host, upload probe).</summary>
internal static class ChildProcess
{
    public static ProcessStartInfo StartInfo(string verb, params string[] arguments)
    {
        var self = typeof(ChildProcess).Assembly.Location;
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = host;
            start.ArgumentList.Add(self);
        }
        else
        {
            start.FileName = host;
        }

        start.ArgumentList.Add(verb);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
