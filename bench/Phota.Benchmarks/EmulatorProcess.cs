using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Phota.Emulator;

namespace Phota.Benchmarks;

/// <summary>
/// An emulator running in a child process (this executable with the <c>emulator</c> verb, which runs the emulator's
/// own command line), listening on a free loopback port. Keeping the server out of this process means CPU time,
/// allocations and working set measured here belong to the client alone.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    public const string Verb = "emulator";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private EmulatorProcess(Process process, Uri baseAddress, int serverMs, bool sendsJobRetryAfter)
    {
        _process = process;
        BaseAddress = baseAddress;
        ServerMs = serverMs;
        SendsJobRetryAfter = sendsJobRetryAfter;
    }

    public Uri BaseAddress { get; }

    /// <summary>The fixed processing time of every studio job (<c>--job-ms</c>).</summary>
    public int ServerMs { get; }

    /// <summary>Whether pending/running job statuses say when the job will be done (the emulator's default; off with <c>--no-job-retry-after</c>).</summary>
    public bool SendsJobRetryAfter { get; }

    public string ApiKey => EmulatorOptions.DefaultApiKey;

    public int ProcessId => _process.Id;

    /// <summary>Total CPU time the emulator process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<EmulatorProcess> StartAsync(int jobMs, CancellationToken cancellationToken, bool jobRetryAfter = true)
    {
        string[] arguments =
        [
            "--urls", "http://127.0.0.1:0",
            "--job-ms", jobMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Enough credit for every job of a full run (about 2,000 at $0.12 to $0.48 each).
            "--credit", "1000000",
            .. jobRetryAfter ? Array.Empty<string>() : ["--no-job-retry-after"],
        ];
        var start = ChildProcess.StartInfo(Verb, arguments);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The emulator process did not start.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            const string Marker = "listening on ";
            if (e.Data is { } line && line.IndexOf(Marker, StringComparison.Ordinal) is var at and >= 0)
            {
                var url = line[(at + Marker.Length)..].Split(',', ' ')[0].Trim();
                listening.TrySetResult(new Uri(url.TrimEnd('/') + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var exited = process.WaitForExitAsync(timeout.Token);
            var first = await Task.WhenAny(listening.Task, exited).ConfigureAwait(false);
            if (first != listening.Task)
            {
                await exited.ConfigureAwait(false);
                throw new InvalidOperationException($"The emulator exited with code {process.ExitCode}: {errors}");
            }

            return new EmulatorProcess(process, await listening.Task.ConfigureAwait(false), jobMs, jobRetryAfter);
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>GET /_emulator/account: balance and counters of the default key's account.</summary>
    public async Task<JsonElement> GetAccountAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return await http.GetFromJsonAsync<JsonElement>("_emulator/account", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }
}
