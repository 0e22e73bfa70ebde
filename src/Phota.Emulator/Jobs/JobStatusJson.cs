using System.Globalization;
using System.Text.Json.Nodes;
using Phota.Emulator.Studio;

namespace Phota.Emulator.Jobs;

/// <summary>The JobStatus body of GET /jobs/{job_id}, also the body POSTed to callbacks.</summary>
internal sealed class JobStatusJson(EditResponseJson results)
{
    public JsonObject Build(Job job, DateTimeOffset now, Uri baseAddress)
    {
        var status = job.Status(now);
        var error = job.Error(now);
        return new JsonObject
        {
            ["job_id"] = job.Id,
            ["status"] = status,
            ["operation"] = job.Operation,
            ["result"] = status == "succeeded" ? results.Build(job, baseAddress) : null,
            ["error"] = error is { } e ? new JsonObject { ["code"] = e.Code, ["message"] = e.Message } : null,
            ["created_at"] = Timestamp(job.CreatedAt),
            ["completed_at"] = job.IsTerminal(now) ? Timestamp(job.CompletedAt) : null,
        };
    }

    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
