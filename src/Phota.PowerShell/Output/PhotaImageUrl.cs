using System.Management.Automation;
using Phota.Jobs;

namespace Phota.PowerShell;

/// <summary>
/// One output image left on the server (-NoDownload): its signed download URL and when that stops working, instead of
/// a saved file. Its Url property binds to the next studio cmdlet's -Image, so results can be chained without
/// downloading them. Every visible property is a plain value (Export-Csv shows values).
/// </summary>
public sealed class PhotaImageUrl
{
    public PhotaImageUrl(ResultLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        Url = link.Url;
        ExpiresAt = link.ExpiresAt;
        Operation = link.Operation.Value;
        Source = link.Source;
        Variation = link.Variation;
        Format = link.Format.Value;
        KnownSubjectCounts = link.KnownSubjects;
        JobId = link.JobId;
        RequestId = link.RequestId;
    }

    /// <summary>The signed download URL (no key needed).</summary>
    public string Url { get; }

    /// <summary>When the URL stops working (24 hours after the job finished).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>edit, generate, enhance or remix.</summary>
    public string Operation { get; }

    /// <summary>The input it came from (path or URL), or the prompt for generate.</summary>
    public string? Source { get; }

    /// <summary>Which output of the request (1-based).</summary>
    public int Variation { get; }

    /// <summary>jpg or png.</summary>
    public string Format { get; }

    /// <summary>The known subjects as text, <c>profile_id=count</c> pairs separated by "; " (empty when none).</summary>
    public string KnownSubjects => PhotaImage.FormatCounts(KnownSubjectCounts);

    /// <summary>Profile id → times generated, summed over all outputs of the request (drives billing).</summary>
    [Hidden]
    public IReadOnlyDictionary<string, int> KnownSubjectCounts { get; }

    /// <summary>The async job id (empty in synchronous mode).</summary>
    public string? JobId { get; }

    /// <summary>The X-Request-Id of the submit, to quote to Phota support.</summary>
    public string? RequestId { get; }

    public override string ToString() => Url;
}
