namespace Phota.Testing.OpenApi;

/// <summary>
/// The outcome of checking one request or response. <see cref="IsApiPath"/> is false for paths the document does
/// not describe (the emulator's <c>/_emulator/</c> endpoints, download links): those are not validated.
/// </summary>
public sealed record OpenApiValidationResult(bool IsApiPath, string? Operation, IReadOnlyList<string> Violations)
{
    public bool IsValid => Violations.Count == 0;

    internal static OpenApiValidationResult NotAnApiPath(string path) =>
        new(false, null, []) { Note = $"{path}: not an API path" };

    /// <summary>Why nothing was checked, when nothing was (for example "not an API path").</summary>
    public string? Note { get; init; }

    public override string ToString() =>
        Note ?? (IsValid ? $"{Operation}: valid" : $"{Operation}: {string.Join("; ", Violations)}");
}
