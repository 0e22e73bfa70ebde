using Phota.Models;

namespace Phota.PowerShell.Infrastructure;

/// <summary>Parses the enumerated -AspectRatio, -Resolution, -BaseModel and -Quality values (already limited by ValidateSet).</summary>
internal static class ModelOptions
{
    public static AspectRatio? ParseAspectRatio(string? value) => value is null ? default(AspectRatio?) : AspectRatio.Parse(value);

    public static Resolution? ParseResolution(string? value) => value is null ? default(Resolution?) : Resolution.Parse(value);

    public static BaseModel? ParseBaseModel(string? value) => value is null ? default(BaseModel?) : BaseModel.Parse(value);

    public static ImageQuality? ParseQuality(string? value) => value is null ? default(ImageQuality?) : ImageQuality.Parse(value);
}
