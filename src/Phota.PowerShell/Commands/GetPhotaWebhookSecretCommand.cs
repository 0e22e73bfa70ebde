using System.Management.Automation;
using System.Security;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>Get-PhotaWebhookSecret: the key that signs job callbacks, as a SecureString unless -AsPlainText.</summary>
[Cmdlet(VerbsCommon.Get, "PhotaWebhookSecret")]
[OutputType(typeof(SecureString), typeof(string))]
public sealed class GetPhotaWebhookSecretCommand : PhotaCmdlet
{
    /// <summary>Emit the secret as a plain string.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var secret = Await(token => Client.GetWebhookSecretAsync(token));
            WriteObject(AsPlainText ? secret : SessionParameters.Secure(secret));
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
        }
    }
}
