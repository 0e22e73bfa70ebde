using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>Remove-PhotaProfile: deletes profiles permanently (asks first: ConfirmImpact High, unless -Force).</summary>
[Cmdlet(VerbsCommon.Remove, "PhotaProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PhotaProfile))]
public sealed class RemovePhotaProfileCommand : ProfileCmdlet
{
    /// <summary>Emit each deleted profile.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Delete without asking (for scripts); -WhatIf and an explicit -Confirm still apply.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var id in ProfileIds)
        {
            if (!(SkipConfirmation() || ShouldProcess(id, "Delete the Phota profile permanently")))
            {
                continue;
            }
            try
            {
                var deleted = Await(token => Client.DeleteProfileAsync(id, token));
                if (PassThru)
                {
                    WriteObject(new PhotaProfile(deleted.ProfileId, "DELETED"));
                }
            }
            catch (PhotaException e)
            {
                WriteFailure(e, id);
            }
        }
    }

    /// <summary>-Force skips the prompt, except when -WhatIf (bound or by preference) or -Confirm was asked for outright.</summary>
    private bool SkipConfirmation()
    {
        if (!Force || MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return false;
        }
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf))
        {
            return !((SwitchParameter)whatIf).IsPresent;
        }
        return !LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }
}
