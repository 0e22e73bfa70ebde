using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using Phota.Errors;

namespace Phota.Sessions;

/// <summary>
/// Where and as whom to call the Phota API: the API key, the base URL, timeouts and proxy settings.
/// The key is never shown: not by <see cref="ToString"/>, not in logs, not in exception messages.
/// </summary>
public sealed class PhotaSession
{
    /// <summary>The production API.</summary>
    public static readonly Uri DefaultBaseUri = new("https://api.photalabs.com");

    public const string ApiKeyVariable = "PHOTA_API_KEY";
    public const string BaseUrlVariable = "PHOTA_BASE_URL";

    private readonly string _apiKey;

    public PhotaSession(string apiKey, Uri? baseUri = null)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw MissingKey();
        }

        _apiKey = apiKey.Trim();
        BaseUri = ValidateBaseUri(baseUri ?? DefaultBaseUri);
    }

    public PhotaSession(SecureString apiKey, Uri? baseUri = null)
        : this(Unprotect(apiKey), baseUri)
    {
    }

    public Uri BaseUri { get; }

    /// <summary>
    /// An explicit proxy. When null the system proxy applies (on Linux and macOS: <c>HTTPS_PROXY</c>,
    /// <c>HTTP_PROXY</c> and <c>NO_PROXY</c>). Loopback base URLs never use a proxy.
    /// </summary>
    public Uri? Proxy { get; init; }

    /// <summary>Credentials for <see cref="Proxy"/>, if it needs them.</summary>
    public NetworkCredential? ProxyCredentials { get; init; }

    /// <summary>Limit for one synchronous studio request (the server's own limit is 600 s). Null: the client default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where this session came from, for -Verbose ("explicit", "default", "environment").</summary>
    public SessionSource Source { get; init; } = SessionSource.Explicit;

    internal string ApiKey => _apiKey;

    /// <summary>Run times learned and the status-check ceiling, shared by every client of this session (and its copies).</summary>
    internal Jobs.SessionPolling Polling { get; private init; } = new();

    internal bool IsLoopback => BaseUri.IsLoopback;

    /// <summary>
    /// A short one-way fingerprint of the key, so the journal can tell whether a job was submitted with this key
    /// without holding the key. 64 bits of a salted SHA-256: says nothing usable about a high-entropy key.
    /// </summary>
    internal string KeyFingerprint()
        => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("phota-journal-key\n" + _apiKey)).AsSpan(0, 8)).ToLowerInvariant();

    /// <summary>Replaces every occurrence of the API key in <paramref name="text"/> (for anything echoed from a server).</summary>
    public string Redact(string? text)
        => string.IsNullOrEmpty(text) ? text ?? string.Empty : text.Replace(_apiKey, "***", StringComparison.Ordinal);

    public override string ToString() => $"Phota session for {BaseUri.GetLeftPart(UriPartial.Authority)} (API key set, {Source})";

    /// <summary>
    /// Picks the session to use: <paramref name="explicitSession"/>, else <paramref name="defaultSession"/>,
    /// else one built from <c>PHOTA_API_KEY</c> and <c>PHOTA_BASE_URL</c>. No key anywhere: a
    /// <see cref="PhotaException"/> with <see cref="ErrorKind.MissingApiKey"/> that says how to supply one.
    /// </summary>
    public static PhotaSession Resolve(PhotaSession? explicitSession, PhotaSession? defaultSession, Func<string, string?>? environment = null)
    {
        if (explicitSession is not null)
        {
            return explicitSession;
        }

        if (defaultSession is not null)
        {
            return defaultSession.Source == SessionSource.Default ? defaultSession : defaultSession.With(SessionSource.Default);
        }

        return FromEnvironment(environment) ?? throw MissingKey();
    }

    /// <summary>A session from <c>PHOTA_API_KEY</c> and <c>PHOTA_BASE_URL</c>, or null when no key is set.</summary>
    public static PhotaSession? FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var key = environment(ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var baseUrl = environment(BaseUrlVariable);
        Uri? baseUri = null;
        if (!string.IsNullOrWhiteSpace(baseUrl) && !Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out baseUri))
        {
            throw new PhotaInputException(BaseUrlVariable, $"'{baseUrl}' is not an absolute URL.", "Set it to a URL such as https://api.photalabs.com, or remove it.");
        }

        return new PhotaSession(key, baseUri) { Source = SessionSource.Environment };
    }

    private PhotaSession With(SessionSource source) => new(_apiKey, BaseUri)
    {
        Proxy = Proxy,
        ProxyCredentials = ProxyCredentials,
        Timeout = Timeout,
        Source = source,
        Polling = Polling,
    };

    internal static PhotaException MissingKey() => new(
        ErrorKind.MissingApiKey,
        $"No Phota API key: none was given, and the {ApiKeyVariable} environment variable is not set.");

    private static Uri ValidateBaseUri(Uri uri)
    {
        var text = uri.OriginalString;
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new PhotaInputException("base URL", $"'{text}' is not an http(s) URL.", "Use a URL such as https://api.photalabs.com.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new PhotaInputException("base URL", "contains credentials.", "Remove the user name and password from the URL; the API key is sent in a header.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new PhotaInputException("base URL", $"'{text}' uses plain http, which would send the API key unencrypted.", "Use https (plain http is allowed only for loopback hosts such as the local emulator).");
        }

        // A trailing slash lets relative API paths (v1/phota/...) resolve under any path prefix.
        var withoutQuery = uri.GetLeftPart(UriPartial.Path);
        return new Uri(withoutQuery.EndsWith('/') ? withoutQuery : withoutQuery + "/");
    }

    private static string Unprotect(SecureString secure)
    {
        ArgumentNullException.ThrowIfNull(secure);
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(ptr) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(ptr);
        }
    }
}

/// <summary>Which step of the resolution order produced a session.</summary>
public enum SessionSource
{
    Explicit,
    Default,
    Environment,
}
