namespace Phota.Emulator.Faults;

/// <summary>
/// Injected connection aborts: the request is fully handled (and charged), the response headers and
/// half the body are sent, then the connection is dropped, as when a network path fails mid-response.
/// Applies to API routes and download links, not to <c>/_emulator/account</c>.
/// </summary>
internal static class AbortFaultMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next, FaultInjector faults)
    {
        var path = context.Request.Path;
        var eligible = path.StartsWithSegments("/v1") || path.StartsWithSegments("/_emulator/files");
        if (!eligible || !faults.NextAbort())
        {
            await next().ConfigureAwait(false);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        context.Response.ContentLength = buffer.Length;
        await original.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)(buffer.Length / 2))).ConfigureAwait(false);
        await original.FlushAsync().ConfigureAwait(false);
        context.Abort();
    }
}
