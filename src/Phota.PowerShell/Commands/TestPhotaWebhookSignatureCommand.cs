using System.Management.Automation;
using Phota.PowerShell.Infrastructure;
using Phota.Webhooks;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Test-PhotaWebhookSignature: whether a callback's X-Phota-Signature matches its exact body (HMAC-SHA256, compared
/// in constant time). Without -Secret the signing secret is fetched with the session.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "PhotaWebhookSignature")]
[OutputType(typeof(bool))]
public sealed class TestPhotaWebhookSignatureCommand : WebhookCmdlet
{
    protected override void ProcessRecord()
    {
        bool valid = WebhookSignature.Verify(Body.Bytes, Signature, SigningSecret());
        WriteVerbose(valid ? "The signature matches the body." : string.IsNullOrWhiteSpace(Signature)
            ? "No signature: an unsigned callback cannot be trusted."
            : "The signature does not match: the body was modified, or it was not signed by Phota with this secret.");
        WriteObject(valid);
    }
}
