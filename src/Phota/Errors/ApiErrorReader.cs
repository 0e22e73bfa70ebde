using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Phota.Http;
using Phota.Sessions;

namespace Phota.Errors;

/// <summary>Builds a <see cref="PhotaApiException"/> from an error answer: status, code, detail, request id; what happened, not what to do about it.</summary>
internal static class ApiErrorReader
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async Task<PhotaApiException> ReadAsync(
        HttpResponseMessage response, PhotaSession session, TimeSpan maxRetryAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            body = string.Empty;
        }

        var headerRequestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        var retryAfter = RetryAfterParser.Parse(response.Headers, now);
        return Create(response.StatusCode, body, headerRequestId, retryAfter, session, maxRetryAfter);
    }

    internal static PhotaApiException Create(
        HttpStatusCode status, string body, string? headerRequestId, TimeSpan? retryAfter, PhotaSession? session, TimeSpan maxRetryAfter)
    {
        string? code = null, detail = null, requestId = null;
        IReadOnlyDictionary<string, string> fieldErrors = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
                    {
                        code = c.GetString();
                    }

                    if (root.TryGetProperty("request_id", out var r) && r.ValueKind == JsonValueKind.String)
                    {
                        requestId = r.GetString();
                    }

                    if (root.TryGetProperty("detail", out var d))
                    {
                        if (d.ValueKind == JsonValueKind.String)
                        {
                            detail = d.GetString();
                        }
                        else if (d.ValueKind == JsonValueKind.Array)
                        {
                            fieldErrors = ValidationErrorFormatter.Flatten(d);
                            detail = ValidationErrorFormatter.ToSentences(fieldErrors);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                detail = body.Length > 500 ? body[..500] + "…" : body;
            }
        }

        if (session is not null)
        {
            detail = detail is null ? null : session.Redact(detail);
            fieldErrors = fieldErrors.ToDictionary(kv => kv.Key, kv => session.Redact(kv.Value), StringComparer.Ordinal);
        }

        requestId ??= headerRequestId;
        if (session is not null)
        {
            code = code is null ? null : session.Redact(code);
            requestId = requestId is null ? null : session.Redact(requestId);
        }

        var tooLong = retryAfter is { } wait && wait > maxRetryAfter;
        var kind = tooLong ? ErrorKind.RateLimited : KindFor(status, code);
        var message = Compose(status, code, detail, requestId, kind, retryAfter, tooLong);
        return new PhotaApiException(kind, message, status, code, detail, requestId, fieldErrors) { RetryAfter = retryAfter };
    }

    public static ErrorKind KindFor(HttpStatusCode status, string? code) => (int)status switch
    {
        401 => ErrorKind.InvalidApiKey,
        403 => ErrorKind.MissingApiKey,
        402 => ErrorKind.InsufficientCredit,
        400 when code == "CONTENT_MODERATION" => ErrorKind.ContentModeration,
        400 or 422 => ErrorKind.InvalidRequest,
        404 when code == "PROFILE_NOT_FOUND" => ErrorKind.ProfileNotFound,
        404 when code == "PROFILE_NOT_READY" => ErrorKind.ProfileNotReady,
        404 => ErrorKind.NotFound,
        410 => ErrorKind.ResultExpired,
        408 => ErrorKind.Timeout,
        429 => ErrorKind.RateLimited,
        503 => ErrorKind.ServiceUnavailable,
        500 or 502 or 504 => ErrorKind.ServerError,
        _ => ErrorKind.Unknown,
    };

    private static string Compose(HttpStatusCode status, string? code, string? detail, string? requestId, ErrorKind kind, TimeSpan? retryAfter, bool tooLong)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(kind switch
        {
            ErrorKind.InvalidApiKey => "The Phota API refused the API key.",
            ErrorKind.MissingApiKey => "The Phota API received no API key.",
            ErrorKind.InsufficientCredit => "The Phota account has no prepaid credit left.",
            ErrorKind.ContentModeration => "The request was blocked by Phota's content moderation.",
            ErrorKind.InvalidRequest => "The Phota API rejected the request.",
            ErrorKind.ProfileNotFound => "The profile does not exist.",
            ErrorKind.ProfileNotReady => "The profile has not finished training.",
            ErrorKind.NotFound => "Not found.",
            ErrorKind.ResultExpired => "The job's result has expired.",
            ErrorKind.RateLimited when tooLong => string.Format(c, "The Phota API asked to wait {0:0} s before trying again, longer than this client waits.", retryAfter!.Value.TotalSeconds),
            ErrorKind.RateLimited => "The Phota API is rate-limiting requests.",
            ErrorKind.ServiceUnavailable => "The Phota API is temporarily unavailable.",
            ErrorKind.ServerError => "The Phota API failed to process the request.",
            ErrorKind.Timeout => "The Phota API timed out.",
            _ => "The Phota API returned an error.",
        });
        if (!string.IsNullOrWhiteSpace(detail))
        {
            sb.Append(' ').Append(detail.Trim());
            if (!detail.TrimEnd().EndsWith('.'))
            {
                sb.Append('.');
            }
        }

        sb.Append(" (HTTP ").Append(((int)status).ToString(c));
        if (code is not null)
        {
            sb.Append(' ').Append(code);
        }

        if (requestId is not null)
        {
            sb.Append(", request id ").Append(requestId);
        }

        sb.Append(").");
        return sb.ToString();
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
