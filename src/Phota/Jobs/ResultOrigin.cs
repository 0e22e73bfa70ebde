using Phota.Images;
using Phota.Models;
using Phota.Studio;

namespace Phota.Jobs;

/// <summary>
/// What is known about a result when saving it or handing out its links: how to name its files, what to report with
/// each output, and which journal entry to update. Built from whatever the caller has: the request (synchronous, or
/// a job this process submitted), the journal entry, or only the job's status.
/// </summary>
internal sealed record ResultOrigin
{
    public required StudioOperation Operation { get; init; }

    /// <summary>The base file name outputs are saved under.</summary>
    public required string Stem { get; init; }

    public OutputFormat Format { get; init; }

    public string? Source { get; init; }

    public string? JobId { get; init; }

    public string? RequestId { get; init; }

    /// <summary>The journal entry to record saved files and handed-out links in; null: not journaled.</summary>
    public string? ClientRequestId { get; init; }

    /// <summary>How many outputs were asked (and paid) for; null: unknown.</summary>
    public int? ExpectedCount { get; init; }

    /// <summary>A request run synchronously (<paramref name="job"/> null) or submitted as <paramref name="job"/>.</summary>
    public static ResultOrigin Of(StudioRequest request, SubmittedJob? job, string? requestId) => new()
    {
        Operation = request.Operation,
        Stem = job?.OutputStem ?? OutputNaming.Stem(request.Operation, request.InputImages, request.PromptText),
        Format = request.OutputFormat,
        Source = request.InputImages.Count > 0 ? request.InputImages[0].Description : request.PromptText,
        JobId = job?.JobId,
        RequestId = job?.RequestId ?? requestId,
        ClientRequestId = job?.ClientRequestId,
        ExpectedCount = request.NumOutputImages,
    };

    /// <summary>A journaled job: named as the command that submitted it would have named it.</summary>
    public static ResultOrigin Of(JournalEntry entry, string jobId, string? requestId) => new()
    {
        Operation = entry.Operation,
        Stem = entry.OutputStem ?? $"{entry.Operation}-{OutputNaming.Sanitize(jobId)}",
        Format = entry.OutputFormat,
        Source = entry.Source ?? entry.Inputs.FirstOrDefault(),
        JobId = jobId,
        RequestId = entry.RequestId ?? requestId,
        ClientRequestId = entry.ClientRequestId,
        ExpectedCount = entry.NumOutputImages,
    };

    /// <summary>A job this machine's journal does not know: named after its operation and id.</summary>
    public static ResultOrigin Of(JobStatus status, string jobId, string? requestId) => new()
    {
        Operation = status.Operation,
        Stem = $"{(status.Operation.IsKnown ? status.Operation.Value : "job")}-{OutputNaming.Sanitize(jobId)}",
        Format = FormatOf(status),
        JobId = jobId,
        RequestId = requestId,
    };

    /// <summary>The format of a job's outputs, read from its download links (the status does not repeat the request).</summary>
    private static OutputFormat FormatOf(JobStatus status)
    {
        var url = status.Result?.DownloadUrls.FirstOrDefault();
        return url is not null && new Uri(url, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } u && u.AbsolutePath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            ? OutputFormat.Png
            : OutputFormat.Jpg;
    }
}
