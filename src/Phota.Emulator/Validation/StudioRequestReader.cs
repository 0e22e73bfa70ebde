using System.Text.Json;
using Phota.Emulator.Studio;

namespace Phota.Emulator.Validation;

/// <summary>Schema validation (422) of EditRequest, GenerateRequest, EnhanceRequest and RemixRequest.</summary>
internal static class StudioRequestReader
{
    internal static readonly string[] ResponseModes = ["bytes", "urls"];
    internal static readonly string[] OutputFormats = ["png", "jpg"];
    internal static readonly string[] AspectRatios = ["auto", "1:1", "3:4", "4:3", "9:16", "16:9"];
    internal static readonly string[] Resolutions = ["1K", "2K", "4K"];
    internal static readonly string[] Qualities = ["auto", "low", "medium", "high"];
    internal static readonly string[] BaseModels = ["flux-2", "gpt-image-2", "nb2", "qwen-image-2", "reve"];

    public static ReceivedStudioRequest Read(string operation, JsonElement body, ValidationErrors errors)
    {
        var f = new FieldReader(body, errors);
        var r = new ReceivedStudioRequest
        {
            Operation = operation,
            Async = f.Bool("async", false),
            CallbackUrl = f.String("callback_url", null, nullable: true),
            ClientRequestId = f.String("client_request_id", null, nullable: true),
            ResponseMode = f.Choice("response_mode", "bytes", ResponseModes, nullable: false)!,
            NumOutputImages = f.Int("num_output_images", 1, 1, 4),
            OutputFormat = f.Choice("output_format", "png", OutputFormats, nullable: false)!,
            OutputFormatGiven = f.Has("output_format"),
        };

        switch (operation)
        {
            case "edit":
                r.Prompt = f.String("prompt", "", nullable: false)!;
                ReadModelOptions(f, r);
                var images = f.StringList("images", maxItems: 10);
                if (images is not null)
                    for (var i = 0; i < images.Count; i++) r.Inputs.Add(($"images[{i}]", images[i]));
                r.ProfileIds = f.StringList("profile_ids") ?? [];
                break;

            case "generate":
                r.Prompt = f.String("prompt", "", nullable: false)!;
                ReadModelOptions(f, r);
                // Not fields of GenerateRequest: pydantic would ignore them, the API refuses them with 400.
                r.ForbiddenGenerateField = f.HasNonNull("images") ? "images" : f.HasNonNull("profile_ids") ? "profile_ids" : null;
                break;

            case "enhance":
                var image = f.String("image", null, nullable: false, required: true);
                if (image is not null) r.Inputs.Add(("image", image));
                r.ProfileIds = f.StringList("profile_ids") ?? [];
                r.Prompt = f.String("prompt", null, nullable: true) ?? "";
                break;

            case "remix":
                var input = f.String("input_image", null, nullable: false, required: true);
                var reference = f.String("reference_image", null, nullable: false, required: true);
                if (input is not null) r.Inputs.Add(("input_image", input));
                if (reference is not null) r.Inputs.Add(("reference_image", reference));
                r.ProfileIds = f.StringList("profile_ids") ?? [];
                r.Prompt = f.String("prompt", null, nullable: true) ?? "";
                r.Resolution = "2K";
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }

        return r;
    }

    private static void ReadModelOptions(FieldReader f, ReceivedStudioRequest r)
    {
        r.AspectRatio = f.Choice("aspect_ratio", "auto", AspectRatios, nullable: false)!;
        r.Resolution = f.Choice("resolution", "1K", Resolutions, nullable: false)!;
        r.Quality = f.Choice("quality", null, Qualities, nullable: true);
        r.BaseModel = f.Choice("base_model", "nb2", BaseModels, nullable: false, errorType: "enum")!;
    }
}
