using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phota.Benchmarks;

/// <summary>
/// The results document. Property names are written in snake_case; <c>throughput</c>, <c>upload</c>,
/// <c>download</c>, <c>polling</c> and <c>machine</c> and the row fields named in the benchmark issue are read by
/// other tools and must not change. Extra fields only add detail.
/// </summary>
internal sealed record BenchmarkResults
{
    public required List<ThroughputRow> Throughput { get; init; }

    public required List<UploadRow> Upload { get; init; }

    public required DownloadResult? Download { get; init; }

    public required PollingResult? Polling { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>Each target of the issue, measured in this run.</summary>
    public required List<TargetCheck> Targets { get; init; }

    /// <summary>Extra runs that explain a number above (not targets).</summary>
    public required List<ThroughputRow> ThroughputDiagnostics { get; init; }

    /// <summary>Durable journal appends alone, eight at once, and eight at once with group commit (a model), on the run's disk.</summary>
    public JournalProbeResult? JournalProbe { get; init; }

    /// <summary>The JSON of every results document and probe measurement.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One batch of <see cref="N"/> enhance operations.</summary>
internal sealed record ThroughputRow
{
    /// <summary>
    /// <c>library</c> (batch runner), <c>fixed-schedule</c> (the same batch runner with the poller the library had
    /// before: 1, 1, 2, 2, 3, 5 s, then every 5 s) or <c>naive</c> (one synchronous request after another).
    /// </summary>
    public required string Mode { get; init; }

    public required int Concurrency { get; init; }

    public required int N { get; init; }

    /// <summary>The emulator's mean processing time per job (the middle of <see cref="JobMs"/>).</summary>
    public required int ServerMs { get; init; }

    /// <summary>The range the emulator drew each job's processing time from, <c>[min, max]</c> (equal: fixed).</summary>
    public int[]? JobMs { get; init; }

    /// <summary>Whether the emulator told the client when to poll (<c>--job-retry-after</c>); the API documents no such hint.</summary>
    public bool ServerHint { get; init; }

    public required double WallMs { get; init; }

    /// <summary>
    /// Batch runs: the makespan of a perfect client over the jobs' actual server run times (submission order, each
    /// job on the first free slot, nothing else costing time); <c>ceil(N / concurrency) x server_ms</c> when every job
    /// takes the same time. Naive: <c>N x server_ms</c>.
    /// </summary>
    public required double IdealMs { get; init; }

    /// <summary><c>wall_ms / ideal_ms</c>.</summary>
    public required double Ratio { get; init; }

    /// <summary>Studio requests completed (saved to disk) per second.</summary>
    public required double RequestsPerS { get; init; }

    public int Failed { get; init; }

    /// <summary>HTTP requests per item: submit, status polls and downloads (naive: the call and the download).</summary>
    public double HttpRequestsPerItem { get; init; }

    /// <summary>Status polls per job (batch runs).</summary>
    public double? PollsPerJob { get; init; }

    /// <summary>Mean time per item in each stage (library only): submit, wait for the job, download and save.</summary>
    public double? MeanSubmitMs { get; init; }

    public double? MeanWaitMs { get; init; }

    public double? MeanDownloadMs { get; init; }

    /// <summary>CPU time of the client process during the run, and of the emulator process.</summary>
    public double ClientCpuMs { get; init; }

    public double ServerCpuMs { get; init; }

    /// <summary>
    /// CPU time of every process on the machine during the run (Linux), and of those other than the client and the
    /// emulator: on a shared machine, the share of the cores the benchmark did not have.
    /// </summary>
    public double? MachineCpuMs { get; init; }

    public double? OtherCpuMs { get; init; }

    /// <summary>CPU time the hypervisor gave to other guests while this one wanted it (Linux steal time).</summary>
    public double? StealMs { get; init; }

    /// <summary>Where each item's slot time went (library runs; see <see cref="StageBreakdown"/>).</summary>
    public StageBreakdown? Stages { get; init; }

    /// <summary>Diagnostics only: what differs from the measured rows (<c>protocol_floor</c>, <c>protocol_floor_hint_margin</c>, <c>journal_on_tmpfs</c>, <c>no_server_hint</c>).</summary>
    public string? Variant { get; init; }

    public string? Note { get; init; }

    /// <summary>What every mode reports alike: <paramref name="saved"/> of <paramref name="n"/> items in <paramref name="wallMs"/> against <paramref name="emulator"/>.</summary>
    public static ThroughputRow Measured(string mode, int concurrency, int n, int saved, double wallMs, double idealMs, BenchEmulator emulator) => new()
    {
        Mode = mode,
        Concurrency = concurrency,
        N = n,
        ServerMs = emulator.ServerMs,
        JobMs = emulator.JobMs,
        ServerHint = emulator.SendsJobRetryAfter,
        WallMs = Math.Round(wallMs, 1),
        IdealMs = idealMs,
        Ratio = Math.Round(wallMs / idealMs, 3),
        RequestsPerS = Math.Round(saved / (wallMs / 1000), 2),
    };
}

/// <summary>
/// Where a library run's time went. A slot (one of <c>concurrency</c>) is held from the start of an item's submit
/// until its finished job is handed to the save stage: <c>mean_slot_ms</c> = lead + the server's work + detect, and
/// the wall time is about <c>rounds x mean_slot_ms</c> + the last saves (<c>tail_ms</c>).
/// </summary>
internal sealed record StageBreakdown
{
    /// <summary><c>ceil(n / concurrency)</c>: how many slot turns the batch needs.</summary>
    public required int Rounds { get; init; }

    /// <summary>Submit start to the finished job handed to the save stage.</summary>
    public required double MeanSlotMs { get; init; }

    /// <summary>Submit start to the job id back and journaled.</summary>
    public required double MeanSubmitMs { get; init; }

    /// <summary>The submit POST, request sent to answer headers (the client's log).</summary>
    public double? MeanSubmitHttpMs { get; init; }

    /// <summary>The rest of the submit: checks, the journal's intent and job-id records (each written and fsynced), JSON.</summary>
    public double? MeanSubmitLocalMs { get; init; }

    /// <summary>Submit start (client clock) to the job's <c>created_at</c> on the server: what the client spends before the server's work starts.</summary>
    public required double MeanLeadMs { get; init; }

    public required double P90LeadMs { get; init; }

    /// <summary><c>completed_at - created_at</c> (the emulator's fixed job time).</summary>
    public required double MeanServerWorkMs { get; init; }

    /// <summary><c>created_at</c> to the submit returning (the 202 back and the job-id record); overlaps the server's work.</summary>
    public required double MeanAckMs { get; init; }

    /// <summary>The job's <c>completed_at</c> to the client handing it to the save stage: the poll's lateness.</summary>
    public required double MeanDetectMs { get; init; }

    public required double P90DetectMs { get; init; }

    public double? MeanPollHttpMs { get; init; }

    public double? MeanDownloadHttpMs { get; init; }

    /// <summary>First item added to the first submit starting.</summary>
    public required double StartMs { get; init; }

    /// <summary>The last job seen finished to the last result saved.</summary>
    public required double TailMs { get; init; }

    /// <summary>
    /// Waits between polls, and how many were the <c>MinPollDelay</c> floor (50 ms): the server said the job was not
    /// done yet and asked for less than the floor, so the client looked again 50 ms later.
    /// </summary>
    public int? PollWaits { get; init; }

    public int? FlooredPollWaits { get; init; }

    /// <summary>Jobs whose server timestamps were read back after the run.</summary>
    public required int JobsTimed { get; init; }
}

/// <summary>One upload of one local JPEG (medians over the repeats), measured in a fresh client process.</summary>
internal sealed record UploadRow
{
    public required string Mode { get; init; }

    public required double FileMb { get; init; }

    /// <summary>Bytes allocated by the client process during the upload (GC.GetTotalAllocatedBytes(true) delta).</summary>
    public required double AllocatedMb { get; init; }

    /// <summary>Peak resident set of the client process during the upload.</summary>
    public required double PeakWsMb { get; init; }

    /// <summary>Client process CPU time (all threads) per MB of file.</summary>
    public required double CpuMsPerMb { get; init; }

    /// <summary><c>allocated_mb / file_mb</c> (target: at most 1.5 for the library).</summary>
    public double AllocatedRatio { get; init; }

    /// <summary>Resident set just before the upload, and how far the peak rose above it.</summary>
    public double BaselineWsMb { get; init; }

    public double PeakWsGrowthMb { get; init; }

    public double UploadMs { get; init; }

    /// <summary>Growth of the GC's committed memory during the upload: the managed heap's share of the working set.</summary>
    public double GcCommittedGrowthMb { get; init; }

    /// <summary>Resident memory by kind after the upload (Linux): anonymous, file-backed, shared (the JIT's code is shared-mapped).</summary>
    public string? RssAfter { get; init; }

    public int Repeats { get; init; }

    /// <summary>How the peak was read: <c>VmHWM</c> (kernel high-water mark, reset before the upload) or <c>sampled</c>.</summary>
    public string? PeakMethod { get; init; }
}

internal sealed record DownloadResult
{
    public required int Outputs { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required string Format { get; init; }

    public required double TotalMb { get; init; }

    public required int Repeats { get; init; }

    public required DownloadMeasure Library { get; init; }

    public required DownloadMeasure Naive { get; init; }

    /// <summary>The same four URLs fetched concurrently and discarded: the server's rendering and loopback time, no disk.</summary>
    public required double RawFetchMs { get; init; }

    public string? Note { get; init; }
}

internal sealed record DownloadMeasure
{
    /// <summary>From the start of the save to all four files complete on disk.</summary>
    public required double WallMs { get; init; }

    public required double AllocatedMb { get; init; }

    public required double CpuMs { get; init; }

    public required int HttpRequests { get; init; }
}

internal sealed record PollingResult
{
    /// <summary>Whether the emulator, as started for the hinted rows (<c>--job-retry-after</c>), sent Retry-After or retry-after-ms on every pending/running job status they saw.</summary>
    public required bool EmulatorSendsRetryAfter { get; init; }

    public required List<PollingRow> Rows { get; init; }

    public string? Note { get; init; }
}

internal sealed record PollingRow
{
    public required int ServerMs { get; init; }

    /// <summary>
    /// <c>none</c> (the emulator as documented: no hint), <c>ms</c> (emulator started with <c>--job-retry-after</c>: <c>retry-after-ms</c>
    /// with the milliseconds left, and <c>Retry-After</c> in whole seconds, rounded up) or <c>seconds</c> (the same
    /// emulator, with its <c>retry-after-ms</c> removed on arrival, as from a server that sends only <c>Retry-After</c>).
    /// </summary>
    public required string RetryAfter { get; init; }

    /// <summary>Pending/running status answers seen, and how many of them carried a hint.</summary>
    public int PendingResponses { get; init; }

    public int PendingWithHint { get; init; }

    public required int Jobs { get; init; }

    /// <summary>GET job requests per job while waiting for it.</summary>
    public required double PollsPerJob { get; init; }

    /// <summary>Every HTTP request per job: submit, polls, download.</summary>
    public required double RequestsPerJob { get; init; }

    /// <summary>Mean time from the job's completion on the server to the client seeing it.</summary>
    public required double MeanDetectDelayMs { get; init; }

    /// <summary>Mean time from submit to succeeded seen, against the job's own <c>server_ms</c>.</summary>
    public required double MeanWaitMs { get; init; }
}

internal sealed record TargetCheck(string Name, string Target, double Measured, bool Met);
