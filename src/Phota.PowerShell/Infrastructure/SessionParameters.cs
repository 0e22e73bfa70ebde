using System.Management.Automation;
using System.Net;
using System.Security;
using Phota.Sessions;

namespace Phota.PowerShell.Infrastructure;

/// <summary>Builds a session from New-PhotaSession / Connect-Phota parameters; absent key or base URI fall back to the environment.</summary>
internal static class SessionParameters
{
    public static PhotaSession Create(SecureString? apiKey, Uri? baseUri, TimeSpan? timeout, Uri? proxy, PSCredential? proxyCredential)
    {
        var source = SessionSource.Explicit;
        if (apiKey is null)
        {
            // No -ApiKey: the environment's key, and its base URL unless -BaseUri says otherwise.
            var fromEnvironment = PhotaSession.FromEnvironment() ?? throw new Errors.PhotaException(Errors.ErrorKind.MissingApiKey,
                "No Phota API key. Pass -ApiKey (a string or a SecureString such as Get-Secret Phota), or set the PHOTA_API_KEY environment variable.");
            baseUri ??= fromEnvironment.BaseUri;
            apiKey = Secure(Environment.GetEnvironmentVariable(PhotaSession.ApiKeyVariable)!);
            source = SessionSource.Environment;
        }

        return new PhotaSession(apiKey, baseUri)
        {
            Timeout = timeout,
            Proxy = proxy,
            ProxyCredentials = proxyCredential?.GetNetworkCredential() is { } credential ? new NetworkCredential(credential.UserName, credential.Password, credential.Domain) : null,
            Source = source,
        };
    }

    /// <summary>A read-only SecureString of the text without the white space around it (never part of a pasted key or secret).</summary>
    internal static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text.Trim())
        {
            secure.AppendChar(c);
        }
        secure.MakeReadOnly();
        return secure;
    }
}
