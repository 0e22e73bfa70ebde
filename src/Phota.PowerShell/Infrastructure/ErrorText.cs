using Phota.Errors;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// The module's one table of advice. The library's errors state what happened (kind, cause, job or profile id,
/// request id); this turns those facts into what a PowerShell user should do next, naming the cmdlets and
/// parameters that do it. PowerShell shows the recommended action under the message ("Recommendation: …").
/// </summary>
internal static class ErrorText
{
    /// <summary>The message a user reads: what happened, and the request id to quote (a refused input's rule is its advice).</summary>
    public static string Describe(PhotaException error)
    {
        string message = error is PhotaInputException input ? $"{input.Input}: {input.Problem}" : error.Message;
        if (error is PhotaApiException api && api.RequestId is { Length: > 0 } requestId && !message.Contains(requestId, StringComparison.Ordinal))
        {
            message += $" (request id {requestId})";
        }
        return message;
    }

    /// <summary>What to do about it, or null where there is nothing more to say than what happened.</summary>
    public static string? RecommendedAction(PhotaException error) => (error.Kind, error.Cause) switch
    {
        (ErrorKind.InvalidInput, _) when error is PhotaInputException { Fix.Length: > 0 } input => input.Fix,
        (ErrorKind.MissingApiKey, _) => "Run Connect-Phota -ApiKey <key>, pass -Session (from New-PhotaSession), or set the PHOTA_API_KEY environment variable.",
        (ErrorKind.InvalidApiKey, _) => "Check the key (Connect-Phota -ApiKey <key>, or PHOTA_API_KEY); it may have been revoked.",
        (ErrorKind.InsufficientCredit, _) => "Top up the balance in the Phota developer portal, then run the command again.",
        (ErrorKind.ContentModeration, _) => "Change the prompt or the input images.",
        (ErrorKind.ProfileNotReady, _) => "Wait for training to finish (Wait-PhotaProfile), then run the command again.",
        (ErrorKind.ProfileNotFound, _) => "Check the profile id (Get-PhotaProfile lists them).",
        (ErrorKind.ProfileTrainingFailed, _) => "Train a new profile with other photos (New-PhotaProfile).",
        (ErrorKind.NotFound, ErrorCause.JobLost) => "Check the account's charges with Phota support (quote the request id), and run the command again if you still need the result.",
        (ErrorKind.NotFound, ErrorCause.SubmittedWithOtherKey) => "Connect with the API key that submitted it (Connect-Phota -ApiKey <key>) to collect it.",
        (ErrorKind.NotFound, _) when error.JobId is not null => "Check the job id (Get-PhotaJob lists the journaled ones) and that this is the API key that submitted it.",
        (ErrorKind.ResultExpired, _) => "Results are kept 24 hours; submit the job again if you still need it.",
        (ErrorKind.JobNotFinished, _) => "Add -Wait, or run Wait-PhotaJob first.",
        (ErrorKind.Timeout, _) when error.JobId is not null => "Collect it later with Get-PhotaJob | Receive-PhotaJob.",
        (ErrorKind.Timeout, _) when error.ProfileId is not null => "Run Wait-PhotaProfile again later.",
        (ErrorKind.Timeout, _) => "Try again; a session with a longer -TimeoutSec (Connect-Phota, New-PhotaSession) allows each request more time.",
        (ErrorKind.RateLimited or ErrorKind.ServiceUnavailable, _) => "Try again later, or lower -ThrottleLimit.",
        (ErrorKind.ServerError, _) => "Try again later; quote the request id if it persists.",
        (ErrorKind.TimeLimitExceeded, _) => "Run it as an async job (without -Synchronous): jobs are not held to the connection's time limit.",
        (ErrorKind.Unreachable, _) => "Check the base URL (Connect-Phota -BaseUri), the network and any proxy settings (-Proxy).",
        (ErrorKind.OutcomeUnknown, _) => "It may have run: check Get-PhotaJob and the output folder before running it again.",
        (ErrorKind.OutputFailed, ErrorCause.OutputExists) => "Add -Force to overwrite it, or choose another -OutputDirectory.",
        _ => null,
    };
}
