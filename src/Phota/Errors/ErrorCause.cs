namespace Phota.Errors;

/// <summary>
/// The circumstance behind an error, where its <see cref="ErrorKind"/> alone does not say what a caller should do
/// next (the same 404 means a lost job, another key's job or a mistyped id).
/// </summary>
public enum ErrorCause
{
    /// <summary>Nothing beyond the kind.</summary>
    None = 0,
    /// <summary>The server no longer knows a job this API key submitted and that had not finished: it was lost.</summary>
    JobLost,
    /// <summary>The job was submitted with a different API key, which is the only one that can see it.</summary>
    SubmittedWithOtherKey,
    /// <summary>The output file already exists, and overwriting it was not asked for.</summary>
    OutputExists,
}
