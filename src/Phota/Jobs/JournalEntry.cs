using Phota.Models;

namespace Phota.Jobs;

/// <summary>Where a journaled job stands, as far as this machine knows.</summary>
public enum JournalState
{
    /// <summary>About to be submitted; the answer (job id) never arrived. Resubmitting with the same id is safe.</summary>
    Intent,
    /// <summary>Submitted and paid for; results not collected yet.</summary>
    Submitted,
    /// <summary>Finished on the server; results not (all) saved yet.</summary>
    Completed,
    /// <summary>Every result saved.</summary>
    Downloaded,
    /// <summary>The job failed on the server.</summary>
    Failed,
    /// <summary>The results expired before they were collected.</summary>
    Expired,
    // Added last: saved journal indexes store states by number.
    /// <summary>The results were handed over as their download URLs (asked for without downloading); nothing saved here.</summary>
    Linked,
}

/// <summary>Everything the journal knows about one submitted (or about-to-be-submitted) job.</summary>
public sealed record JournalEntry
{
    public required string ClientRequestId { get; init; }

    public string? JobId { get; init; }

    public StudioOperation Operation { get; init; }

    public string? BaseUrl { get; init; }

    public IReadOnlyList<string> Inputs { get; init; } = [];

    public string? OutputDirectory { get; init; }

    /// <summary>What the results came from: the first input's path or URL, or the prompt for generate.</summary>
    public string? Source { get; init; }

    /// <summary>The submit's <c>X-Request-Id</c>, to quote to Phota support.</summary>
    public string? RequestId { get; init; }

    public string? OutputStem { get; init; }

    public OutputFormat OutputFormat { get; init; } = OutputFormat.Jpg;

    public int NumOutputImages { get; init; } = 1;

    public JournalState State { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Saved files by variation (1-based).</summary>
    public IReadOnlyDictionary<int, string> Files { get; init; } = new Dictionary<int, string>();

    public string? ErrorCode { get; init; }

    public string? Message { get; init; }

    /// <summary>Submitted (or possibly submitted) but not yet fully collected, failed or expired.</summary>
    public bool IsOutstanding => JobJournal.IsOutstanding(State);

    internal JournalRequest? Request { get; init; }

    /// <summary>Fingerprint of the key the job was submitted with (null in journals written before it was recorded).</summary>
    internal string? KeyFingerprint { get; init; }
}
