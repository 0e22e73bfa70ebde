using Phota.Images;

namespace Phota.Jobs;

/// <summary>Where and how to save results.</summary>
public sealed record OutputOptions
{
    /// <summary>Directory for the files (created if missing). Cmdlets pass the resolved current location.</summary>
    public required string Directory { get; init; }

    public FileCollision Collision { get; init; } = FileCollision.NextFreeName;
}
