using System.Buffers.Text;
using System.Globalization;
using Phota.Errors;

namespace Phota.Images;

/// <summary>Where an input image comes from.</summary>
public enum ImageInputKind
{
    /// <summary>A local file, streamed into the request as base64.</summary>
    File,
    /// <summary>A public http(s) URL the server fetches.</summary>
    Url,
    /// <summary>Base64 text given directly (optionally a <c>data:</c> URI).</summary>
    Base64,
    /// <summary>Bytes in memory.</summary>
    Bytes,
}

/// <summary>
/// One input image, checked before anything is sent: files must exist, be non-empty, at most
/// <see cref="MaxFileBytes"/> and really be JPEG, PNG, WebP or HEIC/HEIF by their bytes; URLs must be http(s)
/// without credentials. Every refusal is a <see cref="PhotaInputException"/> naming the input and the fix.
/// </summary>
public sealed class ImageInput
{
    /// <summary>Largest local file accepted (50 MB): the server resizes anything over 4096 px anyway.</summary>
    public const long MaxFileBytes = 50L * 1024 * 1024;

    private const int TailLength = 64 * 1024;


    private ImageInput(ImageInputKind kind, string description, string name)
    {
        Kind = kind;
        Description = description;
        Name = name;
    }

    public ImageInputKind Kind { get; }

    /// <summary>What to show and journal for this input: the full path, the URL, or "base64 image"/"image bytes" (never the content).</summary>
    public string Description { get; }

    /// <summary>The sanitized base name that output files are named after (e.g. <c>beach</c>).</summary>
    public string Name { get; }

    /// <summary>Full path, for <see cref="ImageInputKind.File"/>.</summary>
    public string? Path { get; private init; }

    public Uri? Url { get; private init; }

    /// <summary>The detected format; null for URLs (the server checks those).</summary>
    public ImageFormat? Format { get; private init; }

    /// <summary>Size in bytes of a file or byte input.</summary>
    public long? Length { get; private init; }

    internal string? Base64Text { get; private init; }

    internal ReadOnlyMemory<byte> Bytes { get; private init; }

    public override string ToString() => Description;

    /// <summary>
    /// Tells a string apart: an http(s) URL; a <c>data:</c> URI or long base64 text that decodes to an image; else a
    /// file path (relative paths resolve against <paramref name="baseDirectory"/>, default the process directory).
    /// </summary>
    public static ImageInput Parse(string value, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PhotaInputException("image", "the image is empty.", "Pass a file path, an http(s) URL or base64 image data.");
        }

        var text = value.Trim();
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUrl(text);
        }

        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return FromBase64(text);
        }

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(text, UriKind.Absolute, out var fileUri) && fileUri.IsFile)
        {
            return FromFile(fileUri.LocalPath);
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 1 && text[..schemeEnd].All(char.IsAsciiLetterOrDigit))
        {
            throw new PhotaInputException(Shorten(text), $"'{text[..schemeEnd]}' URLs are not supported.", "Use an http(s) URL, a local file path, or base64 image data.");
        }

        var path = baseDirectory is null ? text : System.IO.Path.Combine(baseDirectory, text);
        if (!File.Exists(path) && !Directory.Exists(path) && LooksLikeBase64Image(text))
        {
            return FromBase64(text);
        }

        return FromFile(path);
    }

    /// <summary>A local file, checked now (and reopened for each upload attempt).</summary>
    public static ImageInput FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PhotaInputException(path, "is not a valid file path.", "Check the path.", e);
        }

        if (Directory.Exists(full))
        {
            throw new PhotaInputException(full, "is a directory, not an image file.", "Pass the image files inside it.");
        }

        if (!File.Exists(full))
        {
            if (System.IO.Path.GetFileName(full).IndexOfAny(['*', '?']) >= 0)
            {
                // A pattern reaches here only when nothing expanded it, or it matched nothing.
                throw new PhotaInputException(full, "matches no file.", "Check the folder and the pattern (for example *.jpg); pass file paths, or a pattern that matches at least one image.");
            }

            throw new PhotaInputException(full, "file not found.", "Check the path.");
        }

        long length;
        Span<byte> header = stackalloc byte[ImageFormatSniffer.HeaderLength];
        var tail = new byte[TailLength];
        int headerRead, tailRead;
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            length = stream.Length;
            headerRead = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            var tailStart = Math.Max(0, length - TailLength);
            stream.Position = tailStart;
            tailRead = stream.ReadAtLeast(tail, (int)(length - tailStart), throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PhotaInputException(full, $"cannot be read: {e.Message}", "Check that the file is not locked and that you may read it.", e);
        }

        if (length == 0)
        {
            throw new PhotaInputException(full, "is empty (0 bytes).", "Pass a JPEG, PNG, WebP or HEIC/HEIF image.");
        }

        if (length > MaxFileBytes)
        {
            throw new PhotaInputException(full,
                string.Format(CultureInfo.InvariantCulture, "is {0:0.#} MB, over the {1} MB limit for one image.", length / 1048576.0, MaxFileBytes / 1048576),
                "Resize or recompress it (the API works at up to 4096 px anyway).");
        }

        var format = ImageFormatSniffer.Detect(header[..headerRead]) ?? throw new PhotaInputException(full,
            $"is not a JPEG, PNG, WebP or HEIC/HEIF image (its content is {ImageFormatSniffer.DescribeUnknown(header[..headerRead])}).",
            "Convert it to JPEG or PNG first.");
        if (ImageFormatSniffer.FindTruncation(format, header[..headerRead], tail.AsSpan(0, tailRead), length) is { } truncation)
        {
            throw new PhotaInputException(full, truncation + ".", "Copy or export the image again.");
        }

        return new ImageInput(ImageInputKind.File, full, OutputNaming.NameFromPath(full))
        {
            Path = full,
            Format = format,
            Length = length,
        };
    }

    /// <summary>A public http(s) URL for the server to fetch; credentials in the URL are refused.</summary>
    public static ImageInput FromUrl(string url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri))
        {
            throw new PhotaInputException(Shorten(url ?? string.Empty), "is not a valid URL.", "Pass an absolute http(s) URL.");
        }

        return FromUrl(uri);
    }

    public static ImageInput FromUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var shown = url.IsAbsoluteUri && !string.IsNullOrEmpty(url.UserInfo) ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : url.ToString();
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new PhotaInputException(shown, "is not an http(s) URL.", "The API fetches images only from public http(s) URLs.");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw new PhotaInputException(shown, "contains credentials (user name or password).",
                "Remove them: the URL is sent to Phota as is. Use a pre-signed URL or upload the file itself.");
        }

        if (string.IsNullOrEmpty(url.Host))
        {
            throw new PhotaInputException(shown, "has no host.", "Pass an absolute http(s) URL.");
        }

        return new ImageInput(ImageInputKind.Url, url.AbsoluteUri, OutputNaming.NameFromUrl(url)) { Url = url };
    }

    /// <summary>Base64 image data (whitespace and a <c>data:image/...;base64,</c> prefix allowed).</summary>
    public static ImageInput FromBase64(string base64, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(base64);
        var text = base64.Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = text.IndexOf(',');
            if (comma < 0 || !text[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new PhotaInputException("base64 image", "is a data: URI without base64 content.", "Use data:image/jpeg;base64,<data> or plain base64.");
            }

            text = text[(comma + 1)..];
        }

        if (text.Any(char.IsWhiteSpace))
        {
            text = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        }

        if (text.Length == 0 || !Base64.IsValid(text, out var decodedLength))
        {
            throw new PhotaInputException("base64 image", "is not valid base64.", "Pass the image's bytes base64-encoded, or a file path or URL.");
        }

        if (decodedLength > MaxFileBytes)
        {
            throw new PhotaInputException("base64 image", $"decodes to more than the {MaxFileBytes / 1048576} MB limit.", "Resize or recompress the image.");
        }

        var header = DecodeHeader(text);
        var format = ImageFormatSniffer.Detect(header) ?? throw new PhotaInputException("base64 image",
            $"does not decode to a JPEG, PNG, WebP or HEIC/HEIF image (its content is {ImageFormatSniffer.DescribeUnknown(header)}).",
            "Check that the data is a base64-encoded image.");
        return new ImageInput(ImageInputKind.Base64, $"base64 {format} image ({decodedLength} bytes)", OutputNaming.Sanitize(name ?? "image"))
        {
            Base64Text = text,
            Format = format,
            Length = decodedLength,
        };
    }

    /// <summary>Image bytes already in memory.</summary>
    public static ImageInput FromBytes(ReadOnlyMemory<byte> bytes, string? name = null)
    {
        if (bytes.Length == 0)
        {
            throw new PhotaInputException(name ?? "image bytes", "are empty (0 bytes).", "Pass a JPEG, PNG, WebP or HEIC/HEIF image.");
        }

        if (bytes.Length > MaxFileBytes)
        {
            throw new PhotaInputException(name ?? "image bytes", $"exceed the {MaxFileBytes / 1048576} MB limit.", "Resize or recompress the image.");
        }

        var span = bytes.Span;
        var header = span[..Math.Min(span.Length, ImageFormatSniffer.HeaderLength)];
        var format = ImageFormatSniffer.Detect(header) ?? throw new PhotaInputException(name ?? "image bytes",
            $"are not a JPEG, PNG, WebP or HEIC/HEIF image (their content is {ImageFormatSniffer.DescribeUnknown(header)}).",
            "Convert the image to JPEG or PNG first.");
        return new ImageInput(ImageInputKind.Bytes, $"{format} image bytes ({bytes.Length} bytes)", OutputNaming.Sanitize(name ?? "image"))
        {
            Bytes = bytes,
            Format = format,
            Length = bytes.Length,
        };
    }

    /// <summary>Opens the file (again) for one upload attempt, checking it has not changed size since it was checked.</summary>
    internal Stream OpenContent()
    {
        switch (Kind)
        {
            case ImageInputKind.File:
                FileStream stream;
                try
                {
                    stream = new FileStream(Path!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new PhotaInputException(Path!, $"cannot be read: {e.Message}", "Check that the file still exists and is not locked.", e);
                }

                if (stream.Length != Length)
                {
                    stream.Dispose();
                    throw new PhotaInputException(Path!, "changed while it was being sent.", "Wait until the file is fully written, then try again.");
                }

                return stream;
            case ImageInputKind.Bytes:
                return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Bytes, out var segment)
                    ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                    : new MemoryStream(Bytes.ToArray(), writable: false);
            default:
                throw new InvalidOperationException("Only file and byte inputs are streamed.");
        }
    }

    private static bool LooksLikeBase64Image(string text)
    {
        if (text.Length < 32 || text.Length % 4 != 0)
        {
            return false;
        }

        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 4096)))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return false;
            }
        }

        return ImageFormatSniffer.Detect(DecodeHeader(text)) is not null;
    }

    private static byte[] DecodeHeader(string text)
    {
        var chars = text.AsSpan(0, Math.Min(text.Length, 24));
        var buffer = new byte[18];
        return Convert.TryFromBase64Chars(chars[..(chars.Length / 4 * 4)], buffer, out var written) ? buffer[..written] : [];
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..77] + "..." : text;
}
