using System.Net;

namespace Phota.Errors;

/// <summary>The Phota API answered with an error status.</summary>
public sealed class PhotaApiException : PhotaException
{
    public PhotaApiException(
        ErrorKind kind,
        string message,
        HttpStatusCode statusCode,
        string? code,
        string? detail,
        string? requestId,
        IReadOnlyDictionary<string, string>? fieldErrors = null,
        Exception? innerException = null)
        : base(kind, message, innerException)
    {
        StatusCode = statusCode;
        Code = code;
        Detail = detail;
        RequestId = requestId;
        FieldErrors = fieldErrors ?? new Dictionary<string, string>();
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The API's machine-readable <c>code</c> (for example <c>PROFILE_NOT_READY</c>), when the body had one.</summary>
    public string? Code { get; }

    /// <summary>The API's human-readable <c>detail</c>, with the API key redacted.</summary>
    public string? Detail { get; }

    /// <summary>The <c>X-Request-Id</c> (or body <c>request_id</c>) to quote to Phota support.</summary>
    public string? RequestId { get; }

    /// <summary>For 422 answers: one readable sentence per rejected field, keyed by the field's path.</summary>
    public IReadOnlyDictionary<string, string> FieldErrors { get; }

    /// <summary>The delay the server asked for (<c>retry-after-ms</c> or <c>Retry-After</c>), if any.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
