using Phota.Jobs;
using Phota.Models;

namespace Phota.PowerShell;

/// <summary>
/// An async studio job: what the local journal knows about it and, when asked, its current status on the server.
/// Pipe it to Wait-PhotaJob or Receive-PhotaJob.
/// </summary>
public sealed class PhotaJob
{
    /// <summary>The job id; empty for a submit whose answer never arrived (Receive-PhotaJob recovers it).</summary>
    public string? JobId { get; init; }

    /// <summary>The idempotency key the job was submitted with.</summary>
    public string? ClientRequestId { get; init; }

    /// <summary>edit, generate, enhance or remix.</summary>
    public string? Operation { get; init; }

    /// <summary>Status on the server: pending, running, succeeded or failed (empty when not checked or unknown).</summary>
    public string? Status { get; init; }

    /// <summary>What this machine's journal says: Intent, Submitted, Completed, Downloaded, Failed, Expired (empty when not journaled).</summary>
    public string? JournalState { get; init; }

    /// <summary>Inputs of the request (paths or URLs).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

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

    /// <summary>The X-Request-Id of the submit, when known.</summary>
    public string? RequestId { get; init; }

    /// <summary>Files already saved, by variation.</summary>
    public IReadOnlyDictionary<int, string> Files { get; init; } = new Dictionary<int, string>();

    public override string ToString() => JobId ?? ClientRequestId ?? string.Empty;

    internal static PhotaJob From(SubmittedJob job) => new()
    {
        JobId = job.JobId,
        ClientRequestId = job.ClientRequestId,
        Operation = job.Operation.Value,
        Status = JobState.Pending.Value,
        JournalState = Jobs.JournalState.Submitted.ToString(),
        Inputs = job.Inputs,
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
        Status = status?.Status.Value,
        JournalState = entry.State.ToString(),
        Inputs = entry.Inputs,
        ImageCount = entry.NumOutputImages,
        OutputDirectory = entry.OutputDirectory,
        RequestId = entry.RequestId,
        SubmittedAt = entry.CreatedAt,
        CompletedAt = status?.CompletedAt,
        ErrorCode = status?.Error?.Code ?? errorCode ?? entry.ErrorCode,
        Message = status?.Error?.Message ?? message ?? entry.Message,
        Files = entry.Files,
    };

    internal static PhotaJob From(JobStatus status, JournalEntry? entry = null)
        => entry is not null ? From(entry, status) : new()
        {
            JobId = status.JobId,
            Operation = status.Operation.Value,
            Status = status.Status.Value,
            SubmittedAt = status.CreatedAt,
            CompletedAt = status.CompletedAt,
            ErrorCode = status.Error?.Code,
            Message = status.Error?.Message,
        };
}
