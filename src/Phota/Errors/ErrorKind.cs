namespace Phota.Errors;

/// <summary>
/// What went wrong, in terms a caller can act on. The PowerShell module maps each value to a stable
/// error id (<c>Phota.&lt;Kind&gt;</c>) and an error category.
/// </summary>
public enum ErrorKind
{
    Unknown = 0,
    /// <summary>No API key was supplied (locally, or the server answered 403).</summary>
    MissingApiKey,
    /// <summary>The API key was refused (401).</summary>
    InvalidApiKey,
    /// <summary>The prepaid balance is exhausted (402).</summary>
    InsufficientCredit,
    /// <summary>A safety filter blocked the content (400 CONTENT_MODERATION).</summary>
    ContentModeration,
    /// <summary>The server refused the request as malformed (400 INVALID_REQUEST or 422).</summary>
    InvalidRequest,
    /// <summary>An input was refused locally before anything was sent (bad file, bad option).</summary>
    InvalidInput,
    /// <summary>The job or resource does not exist (404 NOT_FOUND).</summary>
    NotFound,
    /// <summary>The profile does not exist (404 PROFILE_NOT_FOUND).</summary>
    ProfileNotFound,
    /// <summary>The profile has not finished training (404 PROFILE_NOT_READY).</summary>
    ProfileNotReady,
    /// <summary>Profile training ended in ERROR or INACTIVE.</summary>
    ProfileTrainingFailed,
    /// <summary>A job's result is no longer available (410).</summary>
    ResultExpired,
    /// <summary>An async job ended in the failed state.</summary>
    JobFailed,
    /// <summary>Results were asked for without waiting, and the job is still pending or running.</summary>
    JobNotFinished,
    /// <summary>Too many requests (429), or the server asked to wait longer than the client will.</summary>
    RateLimited,
    /// <summary>The service stayed unavailable (503) after retries.</summary>
    ServiceUnavailable,
    /// <summary>The server failed (500, 502, 504) after retries.</summary>
    ServerError,
    /// <summary>An attempt or the whole operation ran out of time.</summary>
    Timeout,
    /// <summary>A synchronous request ran past the server's time limit (504); the API refunded its cost.</summary>
    TimeLimitExceeded,
    /// <summary>The service could not be reached (connection refused, DNS, TLS).</summary>
    Unreachable,
    /// <summary>The connection broke after a non-repeatable request was sent: it may have run.</summary>
    OutcomeUnknown,
    /// <summary>The local job journal could not be written, so nothing was submitted.</summary>
    JournalUnavailable,
    /// <summary>A webhook signature is missing, malformed or does not match.</summary>
    InvalidSignature,
    /// <summary>A downloaded result was not the image format requested.</summary>
    InvalidResult,
    /// <summary>A result could not be saved: the target exists (and overwriting was not asked for), or the disk refused the write.</summary>
    OutputFailed,
}
