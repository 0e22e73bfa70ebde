using Phota.Emulator.Hosting;
using Phota.Emulator.Http;

namespace Phota.Emulator.Auth;

/// <summary>
/// Runs after routing, before any operation: unknown routes get 404 NOT_FOUND, wrong methods 405;
/// then injected latency, the API key check (no key: 403, unknown key: 401), settling of the
/// caller's account, and injected 500s and 503s on the operations that declare them.
/// </summary>
internal static class ApiGateMiddleware
{
    public const string ApiKeyHeader = "X-API-Key";

    public static async Task InvokeAsync(HttpContext context, Func<Task> next, EmulatorRuntime runtime)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await ApiErrors.Write(context, 404, ApiErrors.NotFound, "Not Found").ConfigureAwait(false);
            return;
        }

        var operation = endpoint.Metadata.GetMetadata<ApiOperation>();
        if (operation is null)
        {
            // Routing's own endpoint for a known path with another method.
            if (endpoint.DisplayName?.Contains("405", StringComparison.Ordinal) == true)
                await ApiErrors.Write(context, 405, null, "Method Not Allowed").ConfigureAwait(false);
            else
                await next().ConfigureAwait(false);
            return;
        }

        if (operation.IsApi && runtime.Options.FaultLatencyMs > 0)
            await Task.Delay(runtime.Options.FaultLatencyMs, context.RequestAborted).ConfigureAwait(false);

        if (operation.RequiresApiKey)
        {
            var key = context.Request.Headers[ApiKeyHeader].ToString();
            if (string.IsNullOrWhiteSpace(key))
            {
                await ApiErrors.Unauthenticated(context).ConfigureAwait(false);
                return;
            }

            var account = runtime.Store.Find(key.Trim());
            if (account is null)
            {
                await ApiErrors.InvalidKey(context).ConfigureAwait(false);
                return;
            }

            context.SetAccount(account);
            runtime.Settlement.Settle(account);
        }

        if (operation.Declares500 && runtime.Faults.Next500())
        {
            await ApiErrors.Write(context, 500, ApiErrors.InternalError, "Internal error; the request was not processed. Try again.").ConfigureAwait(false);
            return;
        }

        if (operation.Declares503 && runtime.Faults.Next503())
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            if (runtime.Options.FaultRetryAfterMs is { } ms)
            {
                context.Response.Headers["retry-after-ms"] = ms.ToString(c);
                context.Response.Headers.RetryAfter = ((ms + 999) / 1000).ToString(c);
            }
            else
            {
                context.Response.Headers.RetryAfter = runtime.Options.FaultRetryAfterSeconds.ToString(c);
            }
            await ApiErrors.Write(context, 503, ApiErrors.ServiceUnavailable, "The service is temporarily unavailable; retry after the Retry-After delay.").ConfigureAwait(false);
            return;
        }

        await next().ConfigureAwait(false);
    }
}
