using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Phota.Reliability.Tests.Support;

/// <summary>
/// Turns the emulator into a hostile server, between the client and the socket: job answers get path-traversal
/// job ids, operations and download links (which this handler still serves, from the real link), downloads carry a
/// traversing Content-Disposition, and, when asked, error texts echo the caller's API key back.
/// </summary>
internal sealed class HostileServerHandler : DelegatingHandler
{
    public bool EchoKeyInErrors { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var key = request.Headers.TryGetValues("X-API-Key", out var keys) ? keys.First() : "(none)";
        var original = System.Web.HttpUtility.ParseQueryString(uri.Query)["orig"];
        if (original is not null)
        {
            request.RequestUri = new Uri(original);
            var download = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            download.Content.Headers.TryAddWithoutValidation("Content-Disposition", "attachment; filename=\"../../evil.jpg\"");
            return download;
        }

        if (EchoKeyInErrors && uri.AbsolutePath.EndsWith("/profiles/ids", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.BadRequest, new JsonObject
            {
                ["detail"] = $"Key {key} is not allowed here", ["code"] = "INVALID_REQUEST", ["request_id"] = "req_" + key,
            });
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Method != HttpMethod.Get || !uri.AbsolutePath.StartsWith("/v1/phota/jobs/", StringComparison.Ordinal) || response.StatusCode != HttpStatusCode.OK)
        {
            return response;
        }

        var job = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!.AsObject();
        job["job_id"] = "../../../../evil-job";
        job["operation"] = "../../../../evil-operation";
        if (job["result"]?["download_urls"] is JsonArray urls)
        {
            for (var i = 0; i < urls.Count; i++)
            {
                var real = urls[i]!.GetValue<string>();
                var origin = new Uri(real).GetLeftPart(UriPartial.Authority);
                urls[i] = $"{origin}/_emulator/files/..%2F..%2F../../evil-{i}.jpg?orig={Uri.EscapeDataString(real)}";
            }
        }

        if (EchoKeyInErrors && job["error"] is JsonObject error)
        {
            error["message"] = "worker saw key " + key;
        }

        response.Dispose();
        return Json(HttpStatusCode.OK, job);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) => new(status)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };
}
