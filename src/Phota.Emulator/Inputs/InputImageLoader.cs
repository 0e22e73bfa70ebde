using System.Buffers.Text;
using Phota.Emulator.Imaging;

namespace Phota.Emulator.Inputs;

/// <summary>
/// Turns an input value into image facts: a value starting with http:// or https:// is a URL and is
/// fetched (loopback only unless <c>--allow-remote-fetch</c>; size cap and timeout from the
/// options); anything else must be raw base64 (a <c>data:</c> URI prefix is tolerated). The bytes
/// must be a JPEG, PNG, WebP or HEIC image, recognised by their signature.
/// </summary>
internal sealed class InputImageLoader(EmulatorOptions options, HttpClient http)
{
    /// <summary>Only this much of a large base64 value is decoded: enough for any image header.</summary>
    private const int ProbeChars = 1024 * 1024;

    internal readonly record struct Loaded(ImageInfo Info, string? Error);

    public async Task<Loaded> LoadAsync(string name, string value, CancellationToken ct)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return await FetchAsync(name, trimmed, ct).ConfigureAwait(false);

        if (trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = trimmed.IndexOf(',');
            trimmed = comma >= 0 ? trimmed[(comma + 1)..] : "";
        }
        else if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            return Fail($"{name} is a URL with an unsupported scheme: only http and https URLs are fetched.");
        }

        if (trimmed.Length == 0 || !Base64.IsValid(trimmed))
            return Fail($"{name} is neither an http(s) URL nor valid base64.");

        try
        {
            if (trimmed.Length > 2 * ProbeChars && !trimmed.AsSpan(0, ProbeChars).ContainsAny(" \t\r\n"))
            {
                var head = Probe(name, Convert.FromBase64String(trimmed[..ProbeChars]));
                if (head.Error is null) return head; // otherwise the header may lie beyond the prefix
            }

            return Probe(name, Convert.FromBase64String(trimmed));
        }
        catch (FormatException)
        {
            return Fail($"{name} is neither an http(s) URL nor valid base64.");
        }
    }

    private async Task<Loaded> FetchAsync(string name, string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return Fail($"{name} is not a valid URL.");
        if (!options.AllowRemoteFetch && !UrlPolicy.IsLoopback(uri))
            return Fail($"{name}: this emulator only fetches URLs on this machine (loopback); '{uri.Host}' is refused. " +
                        "Send the image as base64, serve it from 127.0.0.1, or start the emulator with --allow-remote-fetch.");

        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return Fail($"{name}: fetching the URL failed with HTTP {(int)response.StatusCode}.");
            if (response.Content.Headers.ContentLength is { } length && length > options.MaxFetchBytes)
                return Fail($"{name}: the image is larger than the {options.MaxFetchBytes / (1024 * 1024)} MB limit.");

            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > options.MaxFetchBytes)
                    return Fail($"{name}: the image is larger than the {options.MaxFetchBytes / (1024 * 1024)} MB limit.");
            }

            return Probe(name, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return Fail($"{name}: the URL could not be fetched ({(ex is TaskCanceledException ? "timed out" : "connection failed")}).");
        }
    }

    private static Loaded Probe(string name, ReadOnlySpan<byte> bytes)
    {
        var info = ImageProbe.Probe(bytes);
        if (info.Format == ImageFormatKind.Unknown)
            return Fail($"{name} is not a JPEG, PNG, WebP or HEIC image.");
        if (info.Width <= 0 || info.Height <= 0)
            return Fail($"{name} could not be decoded: its {info.Format.ToString().ToUpperInvariant()} data is truncated or malformed.");
        return new Loaded(info, null);
    }

    private static Loaded Fail(string error) => new(default, error);
}
