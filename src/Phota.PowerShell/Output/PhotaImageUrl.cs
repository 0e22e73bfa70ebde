using Phota.Jobs;

namespace Phota.PowerShell;

/// <summary>
/// One output image left on the server (-NoDownload): its signed download URL and when that stops working, instead of
/// a saved file. Its Url property binds to the next studio cmdlet's -Image, so results can be chained without
/// downloading them.
/// </summary>
public sealed class PhotaImageUrl : PhotaOutput
{
    public PhotaImageUrl(ResultLink link)
        : base(link)
    {
        Url = link.Url;
        ExpiresAt = link.ExpiresAt;
    }

    /// <summary>The signed download URL (no key needed).</summary>
    public string Url { get; }

    /// <summary>When the URL stops working (24 hours after the job finished).</summary>
    public DateTimeOffset ExpiresAt { get; }

    public override string ToString() => Url;
}
