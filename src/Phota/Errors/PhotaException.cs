namespace Phota.Errors;

/// <summary>Base of every error the library raises on purpose. <see cref="Kind"/> says what to do about it.</summary>
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

    /// <summary>What to do about it, when the library knows (already the last sentence of <see cref="Exception.Message"/>).</summary>
    public string? Hint { get; init; }

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
