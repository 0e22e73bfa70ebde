using Phota.Models;

namespace Phota.Jobs;

/// <summary>An async job the server accepted (and the journal recorded).</summary>
public sealed record SubmittedJob
{
    public required string JobId { get; init; }

    /// <summary>The idempotency key sent with the submit; submitting again with it returns this same job.</summary>
    public required string ClientRequestId { get; init; }

    public required StudioOperation Operation { get; init; }

    /// <summary>The submit's <c>X-Request-Id</c>.</summary>
    public string? RequestId { get; init; }

    public DateTimeOffset SubmittedAt { get; init; }

    /// <summary>What jobs like this one took before is what the poller aims at.</summary>
    internal JobShape? Shape { get; init; }

    /// <summary>The base name results will be saved under.</summary>
    public required string OutputStem { get; init; }

    public OutputFormat OutputFormat { get; init; } = OutputFormat.Jpg;

    public int NumOutputImages { get; init; } = 1;

    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Where the results are to be saved (full path), as recorded in the journal.</summary>
    public string? OutputDirectory { get; init; }

    public override string ToString() => JobId;
}
