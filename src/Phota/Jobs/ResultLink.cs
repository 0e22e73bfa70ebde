using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// One output image left on the server: its signed download URL instead of a saved file (results asked for without
/// downloading). The URL can be handed to another system, or passed as an input image to the next request.
/// </summary>
public sealed record ResultLink
{
    /// <summary>How long the API keeps signed download URLs valid (24 hours).</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromHours(24);

    public required string Url { get; init; }

    /// <summary>When the URL stops working: the job's completion (or, unknown, the time it was read) plus 24 hours.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public required StudioOperation Operation { get; init; }

    /// <summary>The input it came from (path or URL), or the prompt for generate.</summary>
    public string? Source { get; init; }

    /// <summary>Which output of the request (1-based).</summary>
    public int Variation { get; init; } = 1;

    public OutputFormat Format { get; init; }

    /// <summary>Profile id → times generated, summed over all outputs of the request.</summary>
    public IReadOnlyDictionary<string, int> KnownSubjects { get; init; } = new Dictionary<string, int>();

    /// <summary>The async job id (null in synchronous mode).</summary>
    public string? JobId { get; init; }

    /// <summary>The <c>X-Request-Id</c> of the submit (or the synchronous call).</summary>
    public string? RequestId { get; init; }

    public override string ToString() => Url;

    /// <summary>The links of a finished result, in variation order.</summary>
    internal static IReadOnlyList<ResultLink> From(
        StudioResponse? result, DateTimeOffset finishedAt, StudioOperation operation, string? source, OutputFormat format, string? jobId, string? requestId)
        => (result?.DownloadUrls ?? []).Select((url, i) => new ResultLink
        {
            Url = url,
            ExpiresAt = finishedAt + UrlLifetime,
            Operation = operation,
            Source = source,
            Variation = i + 1,
            Format = format,
            KnownSubjects = result!.KnownSubjects.Counts,
            JobId = jobId,
            RequestId = requestId,
        }).ToList();
}
