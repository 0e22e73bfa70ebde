using System.Diagnostics;
using System.Text;

namespace Phota.Testing;

/// <summary>
/// A child process with its output captured line by line: an emulator, a second process using the library, a
/// benchmark probe, <c>dotnet run</c>. Disposing it kills whatever is still running, with its own children.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly List<Action<string>> _lineWatchers = [];

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and standard error, line by line as they arrived.</summary>
    public string Output => Read(_output);

    /// <summary>Standard output alone (for a result printed on its last line).</summary>
    public string StandardOutput => Read(_standardOutput);

    /// <summary>Total CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The <c>dotnet</c> host running this process (so children use the same runtime).</summary>
    public static string DotNetHost
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : "dotnet";

    /// <summary>Starts <c>dotnet &lt;assembly&gt; args</c> in the assembly's folder; <paramref name="environment"/> entries are added (null removes).</summary>
    public static ChildProcess StartAssembly(string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is missing: build the solution (dotnet build Phota.sln) first.", assembly);
        }

        return Start(DotNetHost, [assembly, .. args], Path.GetDirectoryName(assembly)!, environment);
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="args"/> (each passed as one argument).</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var child = new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}."));
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data, standardOutput: true);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, standardOutput: false);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Completes with the first output line containing <paramref name="marker"/>, or fails if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(string marker, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (FirstLine(marker) is { } existing)
            {
                return existing;
            }

            _lineWatchers.Add(line =>
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    found.TrySetResult(line);
                }
            });
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var exited = _process.WaitForExitAsync(cts.Token);
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(Timeout.Infinite, cts.Token)).ConfigureAwait(false);
        if (first == found.Task)
        {
            return await found.Task.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        // A quick child can print the marker and exit before the watcher's completion is observed.
        lock (_output)
        {
            if (FirstLine(marker) is { } printed)
            {
                return printed;
            }
        }

        throw new InvalidOperationException(_process.HasExited
            ? $"The child process exited with code {_process.ExitCode} before printing '{marker}':\n{Output}"
            : $"The child process did not print '{marker}' within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    /// <summary>The exit code; a process still running after <paramref name="timeout"/> (or at cancellation) is killed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"The child process did not finish within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        // Let the asynchronous output readers drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for a successful exit and returns the last line the process wrote to standard output.</summary>
    public async Task<string> LastLineAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var code = await WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return code == 0
            ? StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
                ?? throw new InvalidOperationException($"The child process wrote nothing:\n{Output}")
            : throw new InvalidOperationException($"The child process failed with exit code {code}:\n{Output}");
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

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private string? FirstLine(string marker)
        => _output.ToString().Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))?.TrimEnd('\r');

    private void OnLine(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }

        if (standardOutput)
        {
            lock (_standardOutput)
            {
                _standardOutput.AppendLine(line);
            }
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
