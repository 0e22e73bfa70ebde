using System.Text.Json.Nodes;
using Phota.Emulator.Hosting;
using Phota.Emulator.Http;

namespace Phota.Emulator.Jobs;

/// <summary>
/// GET /jobs/{job_id}: the JobStatus of one of the caller's async jobs. Unknown (or another key's)
/// job: 404 NOT_FOUND. Once the result has expired (24 h after completion, scaled): 410 with a
/// NOT_FOUND-shaped body. The API documents no hint of when to look again, so a running job's
/// answer carries none unless <c>--job-retry-after</c> asks for one.
/// </summary>
internal static class JobEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/v1/phota/jobs/{job_id}", (HttpContext context, string job_id) => GetAsync(context, job_id, runtime))
            .WithMetadata(new ApiOperation("get_job_status", Declares503: true));
    }

    private static Task GetAsync(HttpContext context, string jobId, EmulatorRuntime runtime)
    {
        var account = context.Account();
        var now = runtime.Clock.Now;
        Job? job;
        lock (account.Gate)
            job = account.Jobs.TryGetValue(jobId, out var found) && found.IsAsync ? found : null;

        if (job is null)
            return ApiErrors.Write(context, 404, ApiErrors.NotFound, $"Job '{jobId}' was not found.");
        if (job.IsTerminal(now) && now >= job.CompletedAt + runtime.Clock.Scaled(runtime.Options.ResultExpiry))
            return ApiErrors.Write(context, 410, ApiErrors.NotFound, $"The result of job '{jobId}' has expired.");

        JsonObject status;
        lock (account.Gate) status = runtime.JobStatus.Build(job, now, context.PublicBase());
        if (runtime.Options.JobRetryAfterHint && !job.IsTerminal(now))
            WriteRetryAfter(context, job.CompletedAt - now);
        return ApiErrors.WriteJson(context, 200, status);
    }

    /// <summary>
    /// Tells a polling client when the job should be done: <c>retry-after-ms</c> exactly, and
    /// <c>Retry-After</c> in whole seconds (rounded up) for clients that only read that one.
    /// </summary>
    private static void WriteRetryAfter(HttpContext context, TimeSpan remaining)
    {
        var milliseconds = Math.Max(1, (long)Math.Ceiling(remaining.TotalMilliseconds));
        context.Response.Headers["retry-after-ms"] = milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = ((milliseconds + 999) / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
