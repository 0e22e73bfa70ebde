namespace Phota.Testing.OpenApi;

/// <summary>Raised when traffic does not conform to the OpenAPI document; the message lists every violation.</summary>
public sealed class OpenApiViolationException(IReadOnlyList<string> violations)
    : Exception($"{violations.Count} OpenAPI violation(s):{Environment.NewLine}" + string.Join(Environment.NewLine, violations.Select(v => "  " + v)))
{
    public IReadOnlyList<string> Violations { get; } = violations;
}
