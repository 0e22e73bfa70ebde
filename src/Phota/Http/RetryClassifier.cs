using System.Net;
using System.Net.Http;
using Phota.Errors;
using Polly.Timeout;

namespace Phota.Http;

/// <summary>Decides whether a failed attempt may be repeated, given what kind of request it was.</summary>
public static class RetryClassifier
{
    private static readonly HashSet<HttpStatusCode> RepeatableStatuses =
    [
        HttpStatusCode.RequestTimeout, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>Whether a status may be retried for the kind of request (never 400, 401, 402, 403, 404, 410, 422).</summary>
    public static bool IsRetryableStatus(RequestKind kind, HttpStatusCode status) => kind switch
    {
        RequestKind.Unrepeatable => status == HttpStatusCode.ServiceUnavailable,
        _ => RepeatableStatuses.Contains(status),
    };

    /// <summary>Returns the reason to retry, or null when the failure must be reported as it is.</summary>
    public static string? RetryReason(RequestKind kind, Exception exception, TimeSpan maxRetryAfter)
    {
        switch (exception)
        {
            case OperationCanceledException:
                return null;
            case PhotaApiException api:
                if (api.RetryAfter is { } wait && wait > maxRetryAfter)
                {
                    return null;
                }

                return IsRetryableStatus(kind, api.StatusCode) ? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            case PhotaException:
                return null;
            case HttpRequestException http when IsNeverConnected(http):
                return "connection error";
            case HttpRequestException http when http.HttpRequestError == HttpRequestError.SecureConnectionError:
                // A certificate or TLS failure does not heal by retrying.
                return null;
            case HttpRequestException or IOException when kind != RequestKind.Unrepeatable:
                return "connection lost";
            case TimeoutRejectedException when kind != RequestKind.Unrepeatable:
                return "attempt timeout";
            default:
                return null;
        }
    }

    /// <summary>True when the request certainly never reached the server: no connection was made.</summary>
    public static bool IsNeverConnected(HttpRequestException exception)
        => exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
}
