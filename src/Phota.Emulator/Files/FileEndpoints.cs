using Phota.Emulator.Hosting;
using Phota.Emulator.Http;
using Phota.Emulator.Jobs;
using Phota.Emulator.Studio;

namespace Phota.Emulator.Files;

/// <summary>
/// Serves signed download links (not part of the API, no API key: like a CDN link). An altered link
/// is refused with 403, an expired one with 410; otherwise the image is rendered now.
/// </summary>
internal static class FileEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet(DownloadLinks.PathPrefix + "{job_id}/{file}", (HttpContext context, string job_id, string file) =>
                DownloadAsync(context, job_id, file, runtime))
            .WithMetadata(new ApiOperation("download", RequiresApiKey: false, IsApi: false, Declares500: false));
    }

    private static async Task DownloadAsync(HttpContext context, string jobId, string file, EmulatorRuntime runtime)
    {
        var target = runtime.Links.Verify(jobId, file, context.Request.Query);
        if (target is not { } link || link.Format is not ("png" or "jpg") || link.Width is < 1 or > 8192 || link.Height is < 1 or > 8192)
        {
            await ApiErrors.Write(context, 403, null, "The download link is invalid or has been altered.").ConfigureAwait(false);
            return;
        }

        if (runtime.Clock.Now.ToUnixTimeSeconds() >= link.ExpiresUnix)
        {
            await ApiErrors.Write(context, 410, null, "The download link has expired.").ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        OutputRenderer.Render(buffer, link.JobId, link.Index, new OutputSize(link.Width, link.Height), link.Format);
        context.Response.StatusCode = 200;
        context.Response.ContentType = OutputRenderer.ContentType(link.Format);
        context.Response.ContentLength = buffer.Length;
        context.Response.Headers.CacheControl = "private, max-age=86400";
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
