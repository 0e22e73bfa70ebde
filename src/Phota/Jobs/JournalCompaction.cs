namespace Phota.Jobs;

/// <summary>What a journal compaction removed (or, previewed or with nothing to remove, would remove).</summary>
public sealed record JournalCompaction
{
    public required string Path { get; init; }

    /// <summary>Finished jobs last changed before this are removed (now minus <see cref="JobJournal.ResultLifetime"/>).</summary>
    public DateTimeOffset Cutoff { get; init; }

    public int JobsBefore { get; init; }

    public int JobsRemoved { get; init; }

    public int JobsKept => JobsBefore - JobsRemoved;

    /// <summary>Jobs still to be collected (all kept).</summary>
    public int Outstanding { get; init; }

    public long BytesBefore { get; init; }

    public long BytesAfter { get; init; }

    /// <summary>Whether the journal was rewritten (false for a preview, or when nothing was old enough to remove).</summary>
    public bool Applied { get; init; }
}
