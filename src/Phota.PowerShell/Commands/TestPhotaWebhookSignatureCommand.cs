using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;
using Phota.Webhooks;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Test-PhotaWebhookSignature: whether a callback's X-Phota-Signature matches its exact body (HMAC-SHA256, compared
/// in constant time). Without -Secret the signing secret is fetched with the session.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "PhotaWebhookSignature")]
[OutputType(typeof(bool))]
public sealed class TestPhotaWebhookSignatureCommand : PhotaCmdlet
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

    protected override void ProcessRecord()
    {
        try
        {
            _secret ??= Secret is not null ? Plain(Secret) : Run(token => Client.GetWebhookSecretAsync(token));
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        bool valid = WebhookSignature.Verify(Body.Bytes, Signature, _secret!);
        WriteVerbose(valid ? "The signature matches the body." : string.IsNullOrWhiteSpace(Signature)
            ? "No signature: an unsigned callback cannot be trusted."
            : "The signature does not match: the body was modified, or it was not signed by Phota with this secret.");
        WriteObject(valid);
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
