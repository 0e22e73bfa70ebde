using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// One output image of a studio request, whether saved (<see cref="SavedImage"/>) or left on the server as a signed
/// link (<see cref="ResultLink"/>): what produced it and where it came from.
/// </summary>
public abstract record StudioOutput
{
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
}
