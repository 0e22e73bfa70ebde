namespace Phota.Benchmarks.Scale;

/// <summary>What a probe prints: its measurement and its process's peak working set.</summary>
internal sealed record ProbeOutput(object Result, long PeakWsBytes, string PeakMethod);

/// <summary>Journal operations in one process, in milliseconds; medians over the rounds after the first.</summary>
internal sealed record OpsTimes(double FirstGetMs, double GetMs, double SubmitMs, double WaitReceive4Ms, double FirstSubmitMs, double FirstWaitReceive4Ms);

internal sealed record CompactionTimes(double CompactMs, int JobsBefore, int JobsRemoved, int Outstanding, long BytesBefore, long BytesAfter, bool SavedIndex = false);

internal sealed record PipelineTimes(int Photos, int Saved, int Failed, double WallMs, long LongestProgressGapMs, long ProgressUpdates, int FilesSaved);

/// <summary>One journal size's operations.</summary>
internal sealed record JournalRow
{
    public required int FinishedJobs { get; init; }

    public required long JournalBytes { get; init; }

    /// <summary>The first lookup ever (no saved index yet), in the orchestrating process: the whole file is read once.</summary>
    public required double FoldWithoutSavedIndexMs { get; init; }

    public required OpsTimes Times { get; init; }

    public required double PeakWsMb { get; init; }

    /// <summary>Fresh processes measured; every figure is their median.</summary>
    public required int Processes { get; init; }
}

internal sealed record PipelineRow
{
    public required PipelineTimes Run { get; init; }

    public required int Concurrency { get; init; }

    public required int JobMs { get; init; }

    public required double IdealMs { get; init; }

    public required double Ratio { get; init; }

    public required double PeakWsMb { get; init; }
}

internal sealed record ScaleTarget(string Name, string Limit, string Measured, bool Met);

/// <summary>The scale part's results document.</summary>
internal sealed record ScaleResults
{
    public required MachineInfo Machine { get; init; }

    public required string Method { get; init; }

    public required IReadOnlyList<JournalRow> Journals { get; init; }

    public required IReadOnlyList<CompactionTimes> Compactions { get; init; }

    public required IReadOnlyList<PipelineRow> Pipelines { get; init; }

    public required IReadOnlyList<ScaleTarget> Targets { get; init; }
}
