namespace Phota.Emulator.Studio;

/// <summary>The fields of an edit, generate, enhance or remix request, after schema validation and defaults.</summary>
internal sealed class ReceivedStudioRequest
{
    public string Operation { get; init; } = "";
    public bool Async { get; set; }
    public string? CallbackUrl { get; set; }
    public string? ClientRequestId { get; set; }
    public string ResponseMode { get; set; } = "bytes";
    public string Prompt { get; set; } = "";
    public int NumOutputImages { get; set; } = 1;
    public string OutputFormat { get; set; } = "png";
    public bool OutputFormatGiven { get; set; }
    public string AspectRatio { get; set; } = "auto";
    public string Resolution { get; set; } = "1K";
    public string? Quality { get; set; }
    public string BaseModel { get; set; } = "nb2";
    public List<string> ProfileIds { get; set; } = [];

    /// <summary>Input images in order, each with the name used in error messages (<c>images[2]</c>, <c>image</c>, ...).</summary>
    public List<(string Name, string Value)> Inputs { get; } = [];

    /// <summary>/generate was given <c>images</c> or <c>profile_ids</c>.</summary>
    public string? ForbiddenGenerateField { get; set; }
}
