namespace Phota.Emulator.Validation;

/// <summary>
/// Stand-in for the safety filter: a prompt containing a configured term (case-insensitive; defaults
/// nsfw, gore, nude, naked; see <c>--blocked-term</c>) is refused with 400 CONTENT_MODERATION.
/// </summary>
internal static class ContentModeration
{
    public static string? FindBlockedTerm(string? prompt, IEnumerable<string> blockedTerms)
    {
        if (string.IsNullOrEmpty(prompt)) return null;
        return blockedTerms.FirstOrDefault(term => prompt.Contains(term, StringComparison.OrdinalIgnoreCase));
    }
}
