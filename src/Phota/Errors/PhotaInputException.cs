namespace Phota.Errors;

/// <summary>
/// An input was refused before anything was sent or paid for: a missing or unsupported file, a bad URL,
/// an option out of range. The message names the input and says how to fix it.
/// </summary>
public sealed class PhotaInputException : PhotaException
{
    public PhotaInputException(string input, string problem, string fix, Exception? innerException = null)
        : base(ErrorKind.InvalidInput, $"{input}: {problem} {fix}".TrimEnd(), innerException)
    {
        Input = input;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The offending input: a path, a URL, or a parameter name such as <c>num_output_images</c>.</summary>
    public string Input { get; }

    public string Problem { get; }

    /// <summary>The rule the input must follow, stated as what to pass instead.</summary>
    public string Fix { get; }
}
