using Phota.Models;

namespace Phota.Jobs;

/// <summary>One line of the job journal. Later lines about the same <see cref="ClientRequestId"/> add to earlier ones.</summary>
internal sealed record JournalRecord
{
    /// <summary>intent, submitted, completed, file, downloaded, failed, expired; compacted on a compaction's first line (no job).</summary>
    public required string Type { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string ClientRequestId { get; init; }

    public string? JobId { get; init; }

    public string? Operation { get; init; }

    public string? BaseUrl { get; init; }

    /// <summary>Descriptions of the inputs: paths and URLs, never image data.</summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>What is needed to submit the same request again (only when every input is a path or URL).</summary>
    public JournalRequest? Request { get; init; }

    public string? OutputDirectory { get; init; }

    /// <summary>What the results came from: the first input's path or URL, or the prompt.</summary>
    public string? Source { get; init; }

    /// <summary>The submit's X-Request-Id.</summary>
    public string? RequestId { get; init; }

    /// <summary>A one-way fingerprint of the API key the job was submitted with (never the key).</summary>
    public string? Key { get; init; }

    public string? OutputStem { get; init; }

    public string? OutputFormat { get; init; }

    public int? NumOutputImages { get; init; }

    public int? Variation { get; init; }

    public string? File { get; init; }

    public string? ErrorCode { get; init; }

    public string? Message { get; init; }

    /// <summary>Only on the first line a compaction writes: new for every rewrite, so readers notice the file was replaced.</summary>
    public string? Generation { get; init; }
}

/// <summary>A studio request as journaled: its body fields and its image fields as paths or URLs.</summary>
internal sealed record JournalRequest
{
    /// <summary>Every body field but the images ("scalars" in journals, whose format is kept).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("scalars")]
    public required StudioBodyFields Fields { get; init; }

    public required IReadOnlyList<JournalImageField> ImageFields { get; init; }
}

internal sealed record JournalImageField
{
    public required string Field { get; init; }

    public bool IsArray { get; init; }

    /// <summary>Absolute file paths or URLs.</summary>
    public required IReadOnlyList<string> Sources { get; init; }
}
