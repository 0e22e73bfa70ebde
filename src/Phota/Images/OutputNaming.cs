using System.Globalization;
using System.Text;
using Phota.Models;

namespace Phota.Images;

/// <summary>
/// Names output files after their local input and the operation (<c>beach.enhanced.jpg</c>, <c>beach.enhanced-2.jpg</c>
/// for the second variation, <c>generate-a-headshot-of-….jpg</c>). Names come only from local inputs and are
/// sanitized, so nothing a server returns can choose where a file goes.
/// </summary>
public static class OutputNaming
{
    /// <summary>Longest base name kept from an input or prompt.</summary>
    public const int MaxNameLength = 80;

    private const int MaxSlugLength = 60;

    private static readonly HashSet<string> ReservedDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    /// <summary>The base name of every output of one request, before variation number and extension.</summary>
    public static string Stem(StudioOperation operation, IReadOnlyList<ImageInput> inputs, string? prompt)
    {
        if (operation == StudioOperation.Generate || inputs.Count == 0)
        {
            var slug = Slug(prompt);
            return slug.Length == 0 ? "generate" : "generate-" + slug;
        }

        var suffix = operation == StudioOperation.Enhance ? "enhanced"
            : operation == StudioOperation.Edit ? "edited"
            : operation == StudioOperation.Remix ? "remixed"
            : Sanitize(operation.Value);
        return inputs[0].Name + "." + suffix;
    }

    /// <summary>
    /// The files a request's results would be saved as in <paramref name="directory"/>, when every one of them already
    /// exists there (a re-run can skip the request); otherwise null.
    /// </summary>
    public static IReadOnlyList<string>? ExistingResults(Studio.StudioRequest request, string directory)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stem = Stem(request.Operation, request.InputImages, request.PromptText);
        var paths = Enumerable.Range(1, request.NumOutputImages)
            .Select(v => Path.Combine(directory, FileName(stem, v, request.OutputFormat)))
            .ToList();
        return paths.All(File.Exists) ? paths : null;
    }

    /// <summary><c>stem.jpg</c> for the first output, <c>stem-2.jpg</c> for the second, ...</summary>
    public static string FileName(string stem, int variation, OutputFormat format)
    {
        var safeStem = Sanitize(stem);
        var number = variation <= 1 ? string.Empty : "-" + variation.ToString(CultureInfo.InvariantCulture);
        return safeStem + number + Extension(format);
    }

    public static string Extension(OutputFormat format) => format == OutputFormat.Png ? ".png" : ".jpg";

    /// <summary>The name used when <paramref name="fileName"/> is taken: <c>name (2).jpg</c>, <c>name (3).jpg</c>, ...</summary>
    public static string Alternative(string fileName, int attempt)
    {
        var ext = Path.GetExtension(fileName);
        var stem = fileName[..^ext.Length];
        return $"{stem} ({attempt.ToString(CultureInfo.InvariantCulture)}){ext}";
    }

    internal static string NameFromPath(string path) => Sanitize(Path.GetFileNameWithoutExtension(path));

    internal static string NameFromUrl(Uri url)
    {
        var segment = url.Segments.LastOrDefault(s => s.Trim('/').Length > 0)?.Trim('/') ?? string.Empty;
        segment = Uri.UnescapeDataString(segment);
        // Decoded %2F or %5C must not make a path: only the last piece counts.
        segment = segment.Split('/', '\\').Last();
        var dot = segment.LastIndexOf('.');
        if (dot > 0)
        {
            segment = segment[..dot];
        }

        return Sanitize(segment);
    }

    /// <summary>
    /// A file-name-safe version of <paramref name="name"/> on every platform: no path separators or characters
    /// Windows forbids, no control characters, no leading or trailing dots and spaces, no device names such as CON,
    /// Unicode kept (NFC), at most <see cref="MaxNameLength"/> characters; "image" if nothing is left.
    /// </summary>
    public static string Sanitize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "image";
        }

        var normalized = name.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            var value = rune.Value;
            var bad = value < 0x20 || value == 0x7F || value is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*'
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            sb.Append(bad ? "_" : rune.ToString());
        }

        var result = sb.ToString().Trim().Trim('.', ' ');
        if (result.Length > MaxNameLength)
        {
            result = TruncateText(result, MaxNameLength).TrimEnd('.', ' ');
        }

        if (result.Length == 0 || result.All(c => c == '_'))
        {
            return "image";
        }

        var deviceStem = result.Split('.')[0].TrimEnd(' ');
        if (ReservedDeviceNames.Contains(deviceStem))
        {
            result = "_" + result;
        }

        return result;
    }

    /// <summary>A lowercase, hyphenated slug of a prompt, bounded in length, cut at a word boundary.</summary>
    public static string Slug(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        var pendingHyphen = false;
        foreach (var rune in prompt.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (pendingHyphen && sb.Length > 0)
                {
                    sb.Append('-');
                }

                pendingHyphen = false;
                sb.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                pendingHyphen = true;
            }

            if (sb.Length >= MaxSlugLength + 20)
            {
                break;
            }
        }

        var slug = sb.ToString();
        if (slug.Length > MaxSlugLength)
        {
            var cut = TruncateText(slug, MaxSlugLength);
            var lastHyphen = cut.LastIndexOf('-');
            slug = lastHyphen > MaxSlugLength / 2 ? cut[..lastHyphen] : cut;
        }

        return slug.Trim('-');
    }

    private static string TruncateText(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        // Do not cut a surrogate pair in half.
        var end = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end];
    }
}
