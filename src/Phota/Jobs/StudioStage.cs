namespace Phota.Jobs;

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
