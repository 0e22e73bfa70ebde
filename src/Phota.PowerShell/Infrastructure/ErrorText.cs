using Phota.Errors;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// The text of a Phota error record: the library's message (with its hint, when it gave one) plus the request id,
/// and the cmdlet layer's hint as the recommended action only when the library gave none, so exactly one shows.
/// </summary>
internal static class ErrorText
{
    /// <summary>The message a user reads: what happened (with the library's hint, if it gave one) and the request id to quote.</summary>
    public static string Describe(PhotaException error)
    {
        string message = error.Message;
        if (error is PhotaApiException api && api.RequestId is { Length: > 0 } requestId && !message.Contains(requestId, StringComparison.Ordinal))
        {
            message += $" (request id {requestId})";
        }
        return message;
    }

    /// <summary>
    /// The cmdlet layer's hint, only when the library gave none (PowerShell shows the recommended action after the
    /// message, so a second hint would repeat the first).
    /// </summary>
    public static string? RecommendedAction(PhotaException error)
    {
        if (!string.IsNullOrWhiteSpace(error.Hint))
        {
            return null;
        }
        string hint = Hint(error.Kind);
        return hint.Length == 0 || error.Message.Contains(hint, StringComparison.Ordinal) ? null : hint;
    }

    internal static string Hint(ErrorKind kind) => kind switch
    {
        ErrorKind.MissingApiKey => "Run Connect-Phota -ApiKey <key>, pass -Session, or set PHOTA_API_KEY.",
        ErrorKind.InvalidApiKey => "Check the key (Connect-Phota -ApiKey <key>); it may have been revoked.",
        ErrorKind.InsufficientCredit => "Add prepaid credit to the account, then run the command again.",
        ErrorKind.ContentModeration => "Rephrase the prompt or use another image.",
        ErrorKind.ProfileNotReady => "Wait for training with Wait-PhotaProfile, then run the command again.",
        ErrorKind.ProfileNotFound => "List your profiles with Get-PhotaProfile.",
        ErrorKind.JobNotFinished => "Add -Wait, or run Wait-PhotaJob first.",
        ErrorKind.ResultExpired => "Results are kept for 24 hours; submit the job again.",
        ErrorKind.RateLimited or ErrorKind.ServiceUnavailable => "Try again later, or lower -ThrottleLimit.",
        ErrorKind.TimeLimitExceeded => "Run it as an async job (without -Synchronous): jobs are not held to the connection's time limit.",
        ErrorKind.OutcomeUnknown => "The request may have run; check Get-PhotaJob before running it again.",
        _ => "",
    };
}
