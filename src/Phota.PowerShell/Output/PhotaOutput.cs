using System.Globalization;
using System.Management.Automation;
using Phota.Jobs;

namespace Phota.PowerShell;

/// <summary>
/// One output image of a studio request, saved (<see cref="PhotaImage"/>) or left on the server as a link
/// (<see cref="PhotaImageUrl"/>): what made it and where it came from. Every visible property is a plain value, so
/// Export-Csv and Out-GridView show values; the rich form of a list is a hidden property beside it.
/// </summary>
public abstract class PhotaOutput
{
    private protected PhotaOutput(StudioOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Operation = output.Operation.Value;
        Source = output.Source;
        Variation = output.Variation;
        Format = output.Format.Value;
        KnownSubjectCounts = output.KnownSubjects;
        JobId = output.JobId;
        RequestId = output.RequestId;
    }

    /// <summary>edit, generate, enhance or remix.</summary>
    public string Operation { get; }

    /// <summary>The input it came from (path or URL), or the prompt for generate.</summary>
    public string? Source { get; }

    /// <summary>Which output of the request (1-based).</summary>
    public int Variation { get; }

    /// <summary>jpg or png.</summary>
    public string Format { get; }

    /// <summary>The known subjects as text, <c>profile_id=count</c> pairs separated by "; " (empty when none).</summary>
    public string KnownSubjects => string.Join("; ", KnownSubjectCounts.Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Profile id → times generated, summed over all outputs of the request (drives billing).</summary>
    [Hidden]
    public IReadOnlyDictionary<string, int> KnownSubjectCounts { get; }

    /// <summary>The async job id (empty in synchronous mode).</summary>
    public string? JobId { get; }

    /// <summary>The X-Request-Id of the submit, to quote to Phota support.</summary>
    public string? RequestId { get; }
}
