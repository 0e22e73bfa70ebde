namespace Phota.PowerShell.Infrastructure;

/// <summary>Profile ids as users type them: plain, or in the prompt reference form [[id]].</summary>
internal static class ProfileIdText
{
    public static string Normalize(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.StartsWith("[[", StringComparison.Ordinal) && trimmed.EndsWith("]]", StringComparison.Ordinal) && trimmed.Length >= 4)
        {
            trimmed = trimmed[2..^2].Trim();
        }
        return trimmed;
    }
}
