using Phota.Errors;
using Phota.Images;
using Phota.Models;

namespace Phota.Studio;

/// <summary>
/// A request to one of the studio operations (edit, generate, enhance, remix): what the cmdlets build from their
/// parameters. <see cref="Validate"/> applies the API's rules before any money is spent; the client calls it too.
/// </summary>
public abstract class StudioRequest
{
    private protected StudioRequest()
    {
    }

    public abstract StudioOperation Operation { get; }

    /// <summary><c>num_output_images</c>, 1 to 4.</summary>
    public int NumOutputImages { get; init; } = 1;

    /// <summary><c>output_format</c>; always sent explicitly (the server's default changed on 2026-05-08).</summary>
    public OutputFormat OutputFormat { get; init; } = OutputFormat.Jpg;

    /// <summary>Optional https URL the server POSTs the signed result to; async submits only.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>
    /// The idempotency key (<c>client_request_id</c>) of the async submit; null: a new random one. A submit with a key
    /// the account has used before returns that original job instead of creating (and charging for) a new one, whatever
    /// this request's other fields say, so a key must name one piece of work. Async submits only.
    /// </summary>
    public string? ClientRequestId { get; init; }

    /// <summary>Every input image, in request order (the first names the outputs).</summary>
    public abstract IReadOnlyList<ImageInput> InputImages { get; }

    /// <summary>The prompt, when the operation has one.</summary>
    public virtual string? PromptText => null;

    internal abstract string Path { get; }

    /// <summary>Checks the API's documented rules; throws <see cref="PhotaInputException"/> naming the parameter.</summary>
    public void Validate(bool asynchronous = true)
    {
        if (NumOutputImages is < 1 or > 4)
        {
            throw new PhotaInputException("num_output_images", $"{NumOutputImages} is out of range.", "Ask for 1 to 4 output images.");
        }

        if (!OutputFormat.IsKnown)
        {
            throw new PhotaInputException("output_format", $"'{OutputFormat}' is not supported.", "Use jpg or png.");
        }

        if (CallbackUrl is not null)
        {
            if (!asynchronous)
            {
                throw new PhotaInputException("callback_url", "is only allowed for asynchronous submits.", "Remove it, or submit asynchronously.");
            }

            if (!Uri.TryCreate(CallbackUrl, UriKind.Absolute, out var callback) || callback.Scheme != Uri.UriSchemeHttps)
            {
                throw new PhotaInputException("callback_url", $"'{CallbackUrl}' is not an https URL.", "Callbacks are delivered only to https URLs.");
            }
        }

        if (ClientRequestId is not null)
        {
            if (string.IsNullOrWhiteSpace(ClientRequestId))
            {
                throw new PhotaInputException("client_request_id", "is empty.", "Give each request a non-empty key, or none for a new random one.");
            }

            if (!asynchronous)
            {
                throw new PhotaInputException("client_request_id", "is only used by asynchronous submits.", "Remove it, or submit asynchronously.");
            }
        }

        ValidateOperation();
    }

    /// <summary>Every field of the body but the images.</summary>
    internal abstract StudioBodyFields BodyFields();

    /// <summary>The fields all four operations send: the prompt and profiles (where it has them), output count and format.</summary>
    private protected StudioBodyFields CommonBodyFields(string? prompt, IReadOnlyList<string> profileIds) => new()
    {
        Prompt = prompt,
        ProfileIds = profileIds.Count == 0 ? null : profileIds,
        NumOutputImages = NumOutputImages,
        OutputFormat = OutputFormat,
    };

    internal abstract IReadOnlyList<(string Field, bool IsArray, IReadOnlyList<ImageInput> Images)> ImageFields();

    private protected abstract void ValidateOperation();

    private protected static void RequireKnown<T>(string parameter, T? value) where T : struct, IStringEnum<T>
    {
        if (value is { } v && !IsKnown(v))
        {
            throw new PhotaInputException(parameter, $"'{v.Value}' is not a valid value.", $"Use one of: {string.Join(", ", KnownOf<T>())}.");
        }
    }

    private protected static void ValidateImageModel(BaseModel? baseModel, Resolution? resolution, ImageQuality? quality, AspectRatio? aspectRatio)
    {
        RequireKnown("base_model", baseModel);
        RequireKnown("resolution", resolution);
        RequireKnown("quality", quality);
        RequireKnown("aspect_ratio", aspectRatio);
        var model = baseModel ?? BaseModel.Nb2;
        if (quality is not null && model != BaseModel.GptImage2)
        {
            throw new PhotaInputException("quality", $"is only supported with base_model gpt-image-2 (not {model}).", "Remove the quality, or use base_model gpt-image-2.");
        }

        if (resolution == Resolution.FourK && (model == BaseModel.Flux2 || model == BaseModel.QwenImage2))
        {
            throw new PhotaInputException("resolution", $"4K is not supported by {model}.", "Use 1K or 2K, or another base model (nb2, gpt-image-2, reve).");
        }
    }

    private protected static void ValidateProfileIds(IReadOnlyList<string> profileIds)
    {
        foreach (var id in profileIds)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new PhotaInputException("profile_ids", "contains an empty profile id.", "Pass the ids of the account's profiles.");
            }
        }
    }

    private static bool IsKnown<T>(T value) where T : struct, IStringEnum<T> => KnownOf<T>().Contains(value);

    private static IReadOnlyList<T> KnownOf<T>() where T : struct, IStringEnum<T>
        => (IReadOnlyList<T>)typeof(T).GetProperty("Known")!.GetValue(null)!;
}
