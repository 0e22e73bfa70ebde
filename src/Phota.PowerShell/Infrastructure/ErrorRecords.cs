using System.Management.Automation;
using Phota.Errors;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Turns library errors into ErrorRecords with stable ids (<c>Phota.&lt;Kind&gt;</c>), the matching
/// category, the input as target object, and the request id plus what to do in the message.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        if (exception is PhotaException phota)
        {
            return new ErrorRecord(exception, "Phota." + phota.Kind, Category(phota.Kind), target)
            {
                ErrorDetails = new ErrorDetails(Describe(phota)) { RecommendedAction = Hint(phota.Kind) },
            };
        }
        return new ErrorRecord(exception, "Phota.Unexpected", ErrorCategory.NotSpecified, target);
    }

    /// <summary>Receive-PhotaJob without -Wait met a job that is still pending or running.</summary>
    public static ErrorRecord JobNotFinished(string jobId, string status, object? target) => new(
        new InvalidOperationException($"Job {jobId} is still {status}; nothing to receive yet. Add -Wait, or run Wait-PhotaJob first."),
        "Phota.JobNotFinished", ErrorCategory.ResourceBusy, target)
    {
        ErrorDetails = new ErrorDetails($"Job {jobId} is still {status}; nothing to receive yet.") { RecommendedAction = "Add -Wait, or run Wait-PhotaJob first." },
    };

    /// <summary>
    /// The message a user reads: what happened, the request id to quote, and what to do. The library's messages for API
    /// and input errors already say what to do; the others get the hint appended.
    /// </summary>
    public static string Describe(PhotaException error)
    {
        string message = error.Message;
        if (error is PhotaApiException api && api.RequestId is { Length: > 0 } requestId && !message.Contains(requestId, StringComparison.Ordinal))
        {
            message += $" (request id {requestId})";
        }
        if (error is PhotaApiException or PhotaInputException || error.Kind == ErrorKind.MissingApiKey)
        {
            return message;
        }
        string hint = Hint(error.Kind);
        return hint.Length == 0 || message.Contains(hint, StringComparison.Ordinal) ? message : $"{message} {hint}";
    }

    public static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.MissingApiKey or ErrorKind.InvalidApiKey => ErrorCategory.AuthenticationError,
        ErrorKind.InsufficientCredit => ErrorCategory.QuotaExceeded,
        ErrorKind.ContentModeration => ErrorCategory.SecurityError,
        ErrorKind.InvalidRequest or ErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
        ErrorKind.NotFound or ErrorKind.ProfileNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ProfileNotReady => ErrorCategory.ResourceUnavailable,
        ErrorKind.ProfileTrainingFailed or ErrorKind.JobFailed => ErrorCategory.InvalidResult,
        ErrorKind.ResultExpired => ErrorCategory.ResourceUnavailable,
        ErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
        ErrorKind.ServiceUnavailable or ErrorKind.Unreachable => ErrorCategory.ConnectionError,
        ErrorKind.ServerError => ErrorCategory.ResourceUnavailable,
        ErrorKind.Timeout => ErrorCategory.OperationTimeout,
        ErrorKind.OutcomeUnknown => ErrorCategory.ConnectionError,
        ErrorKind.JournalUnavailable => ErrorCategory.WriteError,
        ErrorKind.InvalidResult => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };

    private static string Hint(ErrorKind kind) => kind switch
    {
        ErrorKind.MissingApiKey => "Run Connect-Phota -ApiKey <key>, pass -Session, or set PHOTA_API_KEY.",
        ErrorKind.InvalidApiKey => "Check the key (Connect-Phota -ApiKey <key>); it may have been revoked.",
        ErrorKind.InsufficientCredit => "Add prepaid credit to the account, then run the command again.",
        ErrorKind.ContentModeration => "Rephrase the prompt or use another image.",
        ErrorKind.ProfileNotReady => "Wait for training with Wait-PhotaProfile, then run the command again.",
        ErrorKind.ProfileNotFound => "List your profiles with Get-PhotaProfile.",
        ErrorKind.ResultExpired => "Results are kept for 24 hours; submit the job again.",
        ErrorKind.RateLimited or ErrorKind.ServiceUnavailable => "Try again later, or lower -ThrottleLimit.",
        ErrorKind.OutcomeUnknown => "The request may have run; check Get-PhotaJob before running it again.",
        _ => "",
    };
}
