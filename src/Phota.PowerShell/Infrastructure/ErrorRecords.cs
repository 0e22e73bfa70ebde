using System.Management.Automation;
using Phota.Errors;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Turns library errors into ErrorRecords with stable ids (<c>Phota.&lt;Kind&gt;</c>), the matching
/// category, the input as target object, the message with its request id, and the advice from
/// <see cref="ErrorText"/> as the recommended action.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        if (exception is PhotaException phota)
        {
            return new ErrorRecord(exception, "Phota." + phota.Kind, Category(phota.Kind), target)
            {
                ErrorDetails = new ErrorDetails(ErrorText.Describe(phota)) { RecommendedAction = ErrorText.RecommendedAction(phota) },
            };
        }
        return new ErrorRecord(exception, "Phota.Unexpected", ErrorCategory.NotSpecified, target);
    }

    public static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.MissingApiKey or ErrorKind.InvalidApiKey => ErrorCategory.AuthenticationError,
        ErrorKind.InsufficientCredit => ErrorCategory.QuotaExceeded,
        ErrorKind.ContentModeration or ErrorKind.InvalidSignature => ErrorCategory.SecurityError,
        ErrorKind.InvalidRequest or ErrorKind.InvalidInput => ErrorCategory.InvalidArgument,
        ErrorKind.NotFound or ErrorKind.ProfileNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ProfileNotReady => ErrorCategory.ResourceUnavailable,
        ErrorKind.ProfileTrainingFailed or ErrorKind.JobFailed => ErrorCategory.InvalidResult,
        ErrorKind.ResultExpired => ErrorCategory.ResourceUnavailable,
        ErrorKind.JobNotFinished => ErrorCategory.ResourceBusy,
        ErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
        ErrorKind.ServiceUnavailable or ErrorKind.Unreachable => ErrorCategory.ConnectionError,
        ErrorKind.ServerError => ErrorCategory.ResourceUnavailable,
        ErrorKind.Timeout or ErrorKind.TimeLimitExceeded => ErrorCategory.OperationTimeout,
        ErrorKind.OutcomeUnknown => ErrorCategory.ConnectionError,
        ErrorKind.JournalUnavailable => ErrorCategory.WriteError,
        ErrorKind.InvalidResult => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };
}
