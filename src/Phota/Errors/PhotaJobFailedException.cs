namespace Phota.Errors;

/// <summary>An async job ended in the <c>failed</c> state; <see cref="Code"/> and the message come from the server.</summary>
public sealed class PhotaJobFailedException : PhotaException
{
    public PhotaJobFailedException(string jobId, string? code, string serverMessage)
        : base(KindFor(code), $"Job {jobId} failed ({code ?? "no code"}): {serverMessage}")
    {
        JobId = jobId;
        Code = code;
        ServerMessage = serverMessage;
    }

    /// <summary>The job's error code: a PhotaErrorCode (e.g. CONTENT_MODERATION) or instance_died / dispatch_failed.</summary>
    public string? Code { get; }

    public string ServerMessage { get; }

    private static ErrorKind KindFor(string? code) => code switch
    {
        "CONTENT_MODERATION" => ErrorKind.ContentModeration,
        "PROFILE_NOT_FOUND" => ErrorKind.ProfileNotFound,
        "PROFILE_NOT_READY" => ErrorKind.ProfileNotReady,
        "INVALID_REQUEST" => ErrorKind.InvalidRequest,
        _ => ErrorKind.JobFailed,
    };
}
