using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phota.Emulator.Http;

/// <summary>
/// Error responses in the API's shape: <c>{"detail", "code", "request_id"}</c>. 401, 402 and 403
/// (no declared body) and the undeclared 504 and file-link errors carry <c>detail</c> and
/// <c>request_id</c> only.
/// </summary>
internal static class ApiErrors
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string ContentModeration = "CONTENT_MODERATION";
    public const string NotFound = "NOT_FOUND";
    public const string ProfileNotFound = "PROFILE_NOT_FOUND";
    public const string ProfileNotReady = "PROFILE_NOT_READY";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>Plain JSON escaping (like the API's own): quotes and ampersands are not written as \u escapes.</summary>
    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task Write(HttpContext context, int status, string? code, string detail)
    {
        var body = new JsonObject { ["detail"] = detail };
        if (code is not null) body["code"] = code;
        body["request_id"] = RequestIds.Get(context);
        return WriteJson(context, status, body);
    }

    public static Task BadRequest(HttpContext context, string detail) => Write(context, 400, InvalidRequest, detail);

    public static Task Unauthenticated(HttpContext context) => Write(context, 403, null, "Not authenticated: send your API key in the X-API-Key header.");

    public static Task InvalidKey(HttpContext context) => Write(context, 401, null, "Invalid API key.");

    public static Task InsufficientCredit(HttpContext context, decimal needed, decimal balance) =>
        Write(context, 402, null, needed > 0
            ? $"Insufficient prepaid credit: this request costs ${needed:0.00##} and the balance is ${balance:0.00##}."
            : $"Insufficient prepaid credit: the balance is ${balance:0.00##}.");

    public static async Task WriteJson(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
