using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using Phota.Errors;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that check a received callback: the exact body and its X-Phota-Signature header, by value or
/// from piped objects' Body and Signature (or X-Phota-Signature) properties, and the signing secret: -Secret, else
/// fetched once with the session.
/// </summary>
public abstract class WebhookCmdlet : PhotaCmdlet
{
    private string? _secret;

    /// <summary>The exact body received: a string (read as UTF-8) or bytes.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [WebhookBodyTransformation]
    public WebhookBody Body { get; set; } = new(string.Empty);

    /// <summary>The X-Phota-Signature header value (hex, optionally prefixed with sha256=).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [Alias("X-Phota-Signature")]
    public string Signature { get; set; } = string.Empty;

    /// <summary>The webhook signing secret (SecureString or string). Default: fetched with the session.</summary>
    [Parameter]
    [SecureStringTransformation]
    public SecureString? Secret { get; set; }

    /// <summary>The signing secret, fetched with the session on first use when -Secret was not given.</summary>
    protected string SigningSecret()
    {
        try
        {
            return _secret ??= Secret is not null ? Plain(Secret) : Await(token => Client.GetWebhookSecretAsync(token));
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
            throw;
        }
    }

    private static string Plain(SecureString secure)
    {
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
