namespace Phota.Errors;

/// <summary>
/// Base of every error the library raises on purpose. The message states what happened; <see cref="Kind"/>,
/// <see cref="Cause"/> and the ids are the facts a caller words its advice from.
/// </summary>
public class PhotaException : Exception
{
    public PhotaException(ErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }

    /// <summary>The job the error concerns, when there is one (for example a failed or expired job).</summary>
    public string? JobId { get; init; }

    /// <summary>The profile the error concerns, when there is one (for example a training that ran out of time).</summary>
    public string? ProfileId { get; init; }

    /// <summary>The circumstance, where the kind alone does not tell it.</summary>
    public ErrorCause Cause { get; init; }

    /// <summary>
    /// Set by the transport when the failed request certainly never ran on the server: every attempt was answered
    /// with a refusal (4xx, 503) or never left this machine. A submit that failed this way created no job.
    /// </summary>
    internal bool CertainlyNotRun { get; set; }

    /// <summary>
    /// True when the same request is certain to fail the same way for every later item (bad or missing key,
    /// no credit, journal unwritable): a batch stops at once.
    /// </summary>
    public bool IsFatalForBatch => Kind is ErrorKind.InvalidApiKey or ErrorKind.MissingApiKey
        or ErrorKind.InsufficientCredit or ErrorKind.JournalUnavailable;
}
