using HiddenAttribute = System.Management.Automation.HiddenAttribute;
using Phota.Jobs;
using Phota.Models;

namespace Phota.PowerShell;

/// <summary>
/// An async studio job: what the local journal knows about it and, when asked, its current status on the server.
/// Pipe it to Wait-PhotaJob or Receive-PhotaJob. Every visible property is a plain value (Export-Csv and Out-GridView
/// show values); the lists are also there as hidden properties (InputList, FilesByVariation).
/// </summary>
public sealed class PhotaJob
{
    /// <summary>The job id; empty for a submit whose answer never arrived (Receive-PhotaJob recovers it).</summary>
    public string? JobId { get; init; }

    /// <summary>The idempotency key the job was submitted with.</summary>
    public string? ClientRequestId { get; init; }

    /// <summary>edit, generate, enhance or remix.</summary>
    public string? Operation { get; init; }

    /// <summary>
    /// Status on the server: pending, running, succeeded or failed, as just checked; for a job not checked, what the
    /// journal knows of it (succeeded for results saved or handed over, failed, expired for results no longer kept,
    /// submitted for a job not checked yet); empty only for a submit that never got an answer.
    /// </summary>
    public string? Status { get; init; }

    /// <summary>What this machine's journal says: Intent, Submitted, Completed, Downloaded, Failed, Expired (empty when not journaled).</summary>
    public string? JournalState { get; init; }

    /// <summary>Inputs of the request (paths or URLs), separated by "; ".</summary>
    public string Inputs => string.Join("; ", InputList);

    /// <summary>Inputs of the request (paths or URLs).</summary>
    [Hidden]
    public IReadOnlyList<string> InputList { get; init; } = [];

    /// <summary>Number of output images requested.</summary>
    public int ImageCount { get; init; }

    /// <summary>Where Receive-PhotaJob saves the results unless told otherwise.</summary>
    public string? OutputDirectory { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The error code of a failed job (a Phota error code, instance_died, dispatch_failed) or of a failed status check.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Why the job failed or expired, or why its status could not be read.</summary>
    public string? Message { get; init; }

    /// <summary>The signed download URLs of a succeeded job, when the status carried them (a callback does), separated by "; ".</summary>
    public string Urls => string.Join("; ", DownloadUrls);

    /// <summary>The signed download URLs (valid 24 hours from the job's completion).</summary>
    [Hidden]
    public IReadOnlyList<string> DownloadUrls { get; init; } = [];

    /// <summary>The X-Request-Id of the submit, when known.</summary>
    public string? RequestId { get; init; }

    /// <summary>Files already saved, in variation order, separated by "; ".</summary>
    public string Files => string.Join("; ", FilesByVariation.OrderBy(f => f.Key).Select(f => f.Value));

    /// <summary>Files already saved, by variation (1-based).</summary>
    [Hidden]
    public IReadOnlyDictionary<int, string> FilesByVariation { get; init; } = new Dictionary<int, string>();

    public override string ToString() => JobId ?? ClientRequestId ?? string.Empty;

    internal static PhotaJob From(SubmittedJob job) => new()
    {
        JobId = job.JobId,
        ClientRequestId = job.ClientRequestId,
        Operation = job.Operation.Value,
        Status = JobState.Pending.Value,
        JournalState = Jobs.JournalState.Submitted.ToString(),
        InputList = job.Inputs,
        ImageCount = job.NumOutputImages,
        OutputDirectory = job.OutputDirectory,
        SubmittedAt = job.SubmittedAt,
        RequestId = job.RequestId,
    };

    internal static PhotaJob From(JournalEntry entry, JobStatus? status = null, string? errorCode = null, string? message = null) => new()
    {
        JobId = entry.JobId,
        ClientRequestId = entry.ClientRequestId,
        Operation = entry.Operation.Value,
        Status = status?.Status.Value ?? StatusFromJournal(entry),
        JournalState = entry.State.ToString(),
        InputList = entry.Inputs,
        ImageCount = entry.NumOutputImages,
        OutputDirectory = entry.OutputDirectory,
        RequestId = entry.RequestId,
        SubmittedAt = entry.CreatedAt,
        CompletedAt = status?.CompletedAt,
        DownloadUrls = status?.Result?.DownloadUrls ?? [],
        ErrorCode = status?.Error?.Code ?? errorCode ?? entry.ErrorCode,
        Message = status?.Error?.Message ?? message ?? entry.Message,
        FilesByVariation = entry.Files,
    };

    private static string? StatusFromJournal(JournalEntry entry) => entry.State switch
    {
        Jobs.JournalState.Completed or Jobs.JournalState.Downloaded or Jobs.JournalState.Linked => JobState.Succeeded.Value,
        Jobs.JournalState.Failed => JobState.Failed.Value,
        Jobs.JournalState.Expired => "expired",
        Jobs.JournalState.Submitted => "submitted",
        _ => null,
    };

    internal static PhotaJob From(JobStatus status, JournalEntry? entry = null)
        => entry is not null ? From(entry, status) : new()
        {
            JobId = status.JobId,
            Operation = status.Operation.Value,
            Status = status.Status.Value,
            SubmittedAt = status.CreatedAt,
            CompletedAt = status.CompletedAt,
            DownloadUrls = status.Result?.DownloadUrls ?? [],
            ErrorCode = status.Error?.Code,
            Message = status.Error?.Message,
        };
}
