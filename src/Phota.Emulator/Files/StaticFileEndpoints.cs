using Phota.Emulator.Hosting;
using Phota.Emulator.Http;

namespace Phota.Emulator.Files;

/// <summary>
/// Serves a local folder (<c>--static-dir</c>) at <c>/_emulator/static/</c>, without a key, so local
/// photos can be given to the API as URLs (profile training takes URLs only). Not part of the API.
/// Only files inside the folder are served; anything else is 404.
/// </summary>
internal static class StaticFileEndpoints
{
    public const string PathPrefix = "/_emulator/static/";

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        if (runtime.Options.StaticDirectory is not { Length: > 0 } directory)
        {
            return;
        }
        string root = Path.GetFullPath(directory);
        app.MapGet(PathPrefix + "{**path}", (HttpContext context, string path) => ServeAsync(context, root, path))
            .WithMetadata(new ApiOperation("static", RequiresApiKey: false, IsApi: false, Declares500: false));
    }

    private static async Task ServeAsync(HttpContext context, string root, string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(root, relativePath));
        bool inside = full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (!inside || !File.Exists(full))
        {
            await ApiErrors.Write(context, 404, "NOT_FOUND", $"No file '{relativePath}' in the static folder.").ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".webp" => "image/webp",
            ".heic" or ".heif" => "image/heic",
            _ => "application/octet-stream",
        };
        await using var file = File.OpenRead(full);
        context.Response.ContentLength = file.Length;
        await file.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
