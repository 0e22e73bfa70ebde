using System.Diagnostics;
using System.Text;

namespace Phota.Reliability.Tests.Support;

/// <summary>A <c>dotnet</c> child process with its output captured (for emulators and second library processes).</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<Action<string>> _lineWatchers = [];

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The <c>dotnet</c> host running the tests (so children use the same runtime).</summary>
    public static string DotNetHost
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : "dotnet";

    /// <summary>Starts <c>dotnet &lt;assembly&gt; args</c>; <paramref name="environment"/> entries are added (null removes).</summary>
    public static ChildProcess Start(string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is missing: build the solution (dotnet build Phota.sln) first.", assembly);
        }

        var info = new ProcessStartInfo(DotNetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var child = new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {assembly}."));
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Completes with the first output line containing <paramref name="marker"/>, or fails if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(string marker, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var existing = _output.ToString().Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            if (existing is not null)
            {
                return existing.TrimEnd('\r');
            }

            _lineWatchers.Add(line =>
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    found.TrySetResult(line);
                }
            });
        }

        using var cts = new CancellationTokenSource(timeout);
        var exited = _process.WaitForExitAsync(cts.Token);
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(Timeout.Infinite, cts.Token)).ConfigureAwait(false);
        if (first == found.Task)
        {
            return await found.Task.ConfigureAwait(false);
        }

        // A quick child can print the marker and exit before the watcher's completion is observed.
        lock (_output)
        {
            var printed = _output.ToString().Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            if (printed is not null)
            {
                return printed.TrimEnd('\r');
            }
        }

        throw new InvalidOperationException(_process.HasExited
            ? $"The child process exited with code {_process.ExitCode} before printing '{marker}':\n{Output}"
            : $"The child process did not print '{marker}' within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The child process did not finish within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        // Let the asynchronous output readers drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash or a power cut would.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        Action<string>[] watchers;
        lock (_output)
        {
            _output.AppendLine(line);
            watchers = [.. _lineWatchers];
        }

        foreach (var watch in watchers)
        {
            watch(line);
        }
    }
}
