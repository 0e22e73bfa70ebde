using System.Text.Json;
using Phota.Emulator.Profiles;

namespace Phota.Emulator.Validation;

/// <summary>Schema validation (422) of AddProfileRequest, including the per-tier image counts.</summary>
internal static class ProfileRequestReader
{
    internal static readonly string[] Tiers = ["standard", "fast"];

    internal sealed record AddProfile(List<string> ImageUrls, string Tier, string? Tag);

    public static AddProfile? Read(JsonElement body, ValidationErrors errors)
    {
        var f = new FieldReader(body, errors);
        var urls = f.StringList("image_urls", required: true, minItems: 5, maxItems: 50);
        var tier = f.Choice("training_tier", "standard", Tiers, nullable: false, errorType: "enum")!;
        var tag = f.String("tag", null, nullable: true, minLength: 1, maxLength: 128);
        if (errors.Any || urls is null) return null;

        var (min, max) = TrainingSchedule.ImageRange(tier);
        if (urls.Count < min || urls.Count > max)
        {
            errors.Add("value_error",
                $"Value error, training_tier '{tier}' takes {min} to {max} images, got {urls.Count}", "image_urls");
            return null;
        }

        return new AddProfile(urls, tier, tag);
    }
}
