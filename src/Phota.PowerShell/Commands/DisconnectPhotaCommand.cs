using System.Management.Automation;
using Phota.PowerShell.Infrastructure;
using Phota.Sessions;

namespace Phota.PowerShell.Commands;

/// <summary>Disconnect-Phota: forgets this runspace's default session (PHOTA_API_KEY, if set, applies again).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Phota")]
[OutputType(typeof(PhotaSession))]
public sealed class DisconnectPhotaCommand : PSCmdlet
{
    /// <summary>Emit the session that was the default.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var previous = SessionStore.Clear();
        WriteVerbose(previous is null ? "There was no default Phota session." : $"Disconnected: {previous}.");
        if (PassThru && previous is not null)
        {
            WriteObject(previous);
        }
    }
}
