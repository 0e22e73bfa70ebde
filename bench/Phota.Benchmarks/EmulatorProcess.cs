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

    private EmulatorProcess(Process process, Uri baseAddress, int jobMs, int jobMsMax, bool sendsJobRetryAfter)
    {
        _process = process;
        BaseAddress = baseAddress;
        JobMs = [jobMs, jobMsMax];
        SendsJobRetryAfter = sendsJobRetryAfter;
    }

    public Uri BaseAddress { get; }

    /// <summary>The range each studio job's processing time is drawn from (<c>--job-ms min-max</c>); equal ends: a fixed time.</summary>
    public int[] JobMs { get; }

    /// <summary>The mean processing time of a job: the middle of <see cref="JobMs"/>.</summary>
    public int ServerMs => (JobMs[0] + JobMs[1]) / 2;

    /// <summary>Whether pending/running job statuses say when the job will be done (<c>--job-retry-after</c>; the API documents no such hint).</summary>
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

    /// <summary>
    /// Starts an emulator whose jobs take <paramref name="jobMs"/> ms, or a time drawn from <paramref name="jobMs"/> to
    /// <paramref name="jobMsMax"/> with a fixed seed (the same times in every run), with the job-poll hint only when
    /// <paramref name="jobRetryAfter"/>.
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(int jobMs, CancellationToken cancellationToken, bool jobRetryAfter = false, int? jobMsMax = null)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var max = jobMsMax ?? jobMs;
        string[] arguments =
        [
            "--urls", "http://127.0.0.1:0",
            "--job-ms", max == jobMs ? jobMs.ToString(c) : $"{jobMs.ToString(c)}-{max.ToString(c)}",
            "--seed", "12",
            // Enough credit for every job of a full run (about 2,500 at $0.12 to $0.48 each).
            "--credit", "1000000",
            .. jobRetryAfter ? ["--job-retry-after"] : Array.Empty<string>(),
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

            return new EmulatorProcess(process, await listening.Task.ConfigureAwait(false), jobMs, max, jobRetryAfter);
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
