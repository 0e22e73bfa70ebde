namespace Phota.Images;

/// <summary>The input formats the API accepts.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
    /// <summary>HEIC or HEIF (an ISO-BMFF container with a HEIF brand).</summary>
    Heif,
}
