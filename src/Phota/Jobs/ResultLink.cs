using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// One output image left on the server: its signed download URL instead of a saved file (results asked for without
/// downloading). The URL can be handed to another system, or passed as an input image to the next request.
/// </summary>
public sealed record ResultLink : StudioOutput
{
    /// <summary>How long the API keeps signed download URLs valid (24 hours).</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromHours(24);

    public required string Url { get; init; }

    /// <summary>When the URL stops working: the job's completion (or, unknown, the time it was read) plus 24 hours.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    public override string ToString() => Url;

    /// <summary>The links of a finished result, in variation order.</summary>
    internal static IReadOnlyList<ResultLink> From(StudioResponse? result, DateTimeOffset finishedAt, ResultOrigin origin)
        => (result?.DownloadUrls ?? []).Select((url, i) => new ResultLink
        {
            Url = url,
            ExpiresAt = finishedAt + UrlLifetime,
            Operation = origin.Operation,
            Source = origin.Source,
            Variation = i + 1,
            Format = origin.Format,
            KnownSubjects = result!.KnownSubjects.Counts,
            JobId = origin.JobId,
            RequestId = origin.RequestId,
        }).ToList();
}
