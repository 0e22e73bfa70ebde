using Phota.Emulator.Http;
using Phota.Emulator.Studio;
using Phota.Emulator.Inputs;

namespace Phota.Emulator.Validation;

/// <summary>The documented 400s of the studio operations, checked after schema validation.</summary>
internal static class StudioRules
{
    /// <summary>Returns the (code, detail) of the first rule the request breaks, or null.</summary>
    public static (string Code, string Detail)? Check(ReceivedStudioRequest r, EmulatorOptions options)
    {
        static (string, string) Invalid(string detail) => (ApiErrors.InvalidRequest, detail);

        if (r.ForbiddenGenerateField is { } field)
            return Invalid($"/generate does not accept '{field}': reference profiles in the prompt with [[profile_id]]; use /edit to transform existing photos.");
        if (r.Quality is not null && r.BaseModel != "gpt-image-2")
            return Invalid($"'quality' is only supported with base_model 'gpt-image-2', not '{r.BaseModel}'.");
        if (r.Resolution == "4K" && r.BaseModel is "flux-2" or "qwen-image-2")
            return Invalid($"Resolution '4K' is not supported by base_model '{r.BaseModel}'; use '1K' or '2K'.");
        if (r.Async && r.ResponseMode != "urls")
            return Invalid("'async': true requires 'response_mode': 'urls'.");
        if (r.CallbackUrl is not null)
        {
            if (!r.Async)
                return Invalid("'callback_url' requires 'async': true.");
            if (!Uri.TryCreate(r.CallbackUrl, UriKind.Absolute, out var callback) || callback.Scheme != Uri.UriSchemeHttps)
                return Invalid("'callback_url' must be an absolute https URL.");
            if (!options.AllowRemoteFetch && !UrlPolicy.IsLoopback(callback))
                return Invalid("'callback_url' must point to a loopback host: this emulator only delivers callbacks to this machine (start it with --allow-remote-fetch to lift this).");
        }

        if (r.Operation == "edit" && r.Inputs.Count == 0)
            return Invalid("/edit needs at least one input image in 'images'.");

        if (ContentModeration.FindBlockedTerm(r.Prompt, options.BlockedTerms) is not null)
            return (ApiErrors.ContentModeration, "The prompt was blocked by the content safety filter.");

        return null;
    }
}
