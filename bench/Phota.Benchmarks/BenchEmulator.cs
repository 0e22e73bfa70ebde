using System.Globalization;
using Phota.Sessions;

namespace Phota.Benchmarks;

/// <summary>
/// An emulator in a child process, listening on a free loopback port: this executable with the <c>emulator</c> verb,
/// which runs the emulator's own command line with this executable's runtime settings. Keeping the server out of this
/// process means CPU time, allocations and working set measured here belong to the client alone.
/// </summary>
internal sealed class BenchEmulator : IAsyncDisposable
{
    public const string Verb = "emulator";

    private readonly EmulatorProcess _process;

    private BenchEmulator(EmulatorProcess process, int jobMs, int jobMsMax, bool sendsJobRetryAfter)
    {
        _process = process;
        JobMs = [jobMs, jobMsMax];
        SendsJobRetryAfter = sendsJobRetryAfter;
    }

    public Uri BaseAddress => _process.BaseAddress;

    public string ApiKey => _process.ApiKey;

    public int ProcessId => _process.ProcessId;

    /// <summary>Total CPU time the emulator process has used so far.</summary>
    public TimeSpan CpuTime => _process.CpuTime;

    /// <summary>The range each studio job's processing time is drawn from (<c>--job-ms min-max</c>); equal ends: a fixed time.</summary>
    public int[] JobMs { get; }

    /// <summary>The mean processing time of a job: the middle of <see cref="JobMs"/>.</summary>
    public int ServerMs => (JobMs[0] + JobMs[1]) / 2;

    /// <summary>Whether pending/running job statuses say when the job will be done (<c>--job-retry-after</c>; the API documents no such hint).</summary>
    public bool SendsJobRetryAfter { get; }

    /// <summary>
    /// Starts an emulator whose jobs take <paramref name="jobMs"/> ms, or a time drawn from <paramref name="jobMs"/> to
    /// <paramref name="jobMsMax"/> with a fixed seed (the same times in every run), with the job-poll hint only when
    /// <paramref name="jobRetryAfter"/>.
    /// </summary>
    public static async Task<BenchEmulator> StartAsync(int jobMs, CancellationToken cancellationToken, bool jobRetryAfter = false, int? jobMsMax = null)
    {
        var c = CultureInfo.InvariantCulture;
        var max = jobMsMax ?? jobMs;
        string[] arguments =
        [
            "--job-ms", max == jobMs ? jobMs.ToString(c) : $"{jobMs.ToString(c)}-{max.ToString(c)}",
            "--seed", "12",
            // Enough credit for every job of a full run (about 2,500 at $0.12 to $0.48 each).
            "--credit", "1000000",
            .. jobRetryAfter ? ["--job-retry-after"] : Array.Empty<string>(),
        ];
        var process = await EmulatorProcess.StartAsync(Probe.Self, [Verb], arguments, cancellationToken).ConfigureAwait(false);
        return new BenchEmulator(process, jobMs, max, jobRetryAfter);
    }

    /// <summary>A library client of this emulator with the default key.</summary>
    public PhotaClient Client(PhotaClientOptions options) => new(new PhotaSession(ApiKey, BaseAddress), options);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
