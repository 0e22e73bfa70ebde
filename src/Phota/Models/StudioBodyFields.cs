namespace Phota.Models;

/// <summary>
/// Every non-image field of a studio request body, serialized by the source-generated context. Image fields are
/// streamed after these by <see cref="Images.StudioRequestBody"/>, so large files are never held in memory.
/// </summary>
internal sealed record StudioBodyFields
{
    [System.Text.Json.Serialization.JsonPropertyName("async")]
    public bool? Async { get; init; }

    public string? CallbackUrl { get; init; }

    public string? ClientRequestId { get; init; }

    public ResponseMode? ResponseMode { get; init; }

    public string? Prompt { get; init; }

    public IReadOnlyList<string>? ProfileIds { get; init; }

    public int? NumOutputImages { get; init; }

    public AspectRatio? AspectRatio { get; init; }

    public Resolution? Resolution { get; init; }

    public ImageQuality? Quality { get; init; }

    public BaseModel? BaseModel { get; init; }

    public OutputFormat? OutputFormat { get; init; }
}
