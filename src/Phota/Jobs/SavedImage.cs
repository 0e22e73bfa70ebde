namespace Phota.Jobs;

/// <summary>One output image saved to a file.</summary>
public sealed record SavedImage : StudioOutput
{
    /// <summary>Full path of the saved file.</summary>
    public required string Path { get; init; }

    public override string ToString() => Path;
}
