using Phota.Images;
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

/// <summary>One saved output image: what the studio cmdlets emit.</summary>
public sealed record SavedImage
{
    /// <summary>Full path of the saved file.</summary>
    public required string Path { get; init; }

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

    public override string ToString() => Path;
}

/// <summary>Where and how to save results.</summary>
public sealed record OutputOptions
{
    /// <summary>Directory for the files (created if missing). Cmdlets pass the resolved current location.</summary>
    public required string Directory { get; init; }

    public FileCollision Collision { get; init; } = FileCollision.NextFreeName;
}

/// <summary>The stage one studio item is in, for progress displays.</summary>
public enum StudioStage
{
    Queued,
    Submitting,
    Waiting,
    Downloading,
    Done,
    Failed,
}
