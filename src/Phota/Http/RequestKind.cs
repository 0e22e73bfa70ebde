namespace Phota.Http;

/// <summary>
/// What a request may safely repeat, which decides its retry rule. The API's promises make the rule:
/// a GET changes nothing; an async submit with a <c>client_request_id</c> returns the original job when repeated;
/// anything else may charge again, so it is repeated only when the server certainly did not run it.
/// </summary>
public enum RequestKind
{
    /// <summary>A GET: retried on connection errors, attempt timeouts, 408, 429, 500, 502, 503, 504.</summary>
    Read,
    /// <summary>An async submit carrying a client_request_id: retried like a read.</summary>
    IdempotentSubmit,
    /// <summary>A synchronous studio POST, profile creation or deletion: retried only on 503 or a connection that was never made.</summary>
    Unrepeatable,
}
