using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Completers;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>Remove-PhotaProfile: deletes profiles permanently (asks first: ConfirmImpact High).</summary>
[Cmdlet(VerbsCommon.Remove, "PhotaProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PhotaProfile))]
public sealed class RemovePhotaProfileCommand : PhotaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ProfileIdTransformation]
    [ArgumentCompleter(typeof(ProfileIdCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ProfileId { get; set; } = [];

    /// <summary>Emit each deleted profile.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var given in ProfileId)
        {
            var id = ProfileIdText.Normalize(given);
            if (!ShouldProcess(id, "Delete the Phota profile permanently"))
            {
                continue;
            }
            try
            {
                var deleted = Run(token => Client.DeleteProfileAsync(id, token));
                if (PassThru)
                {
                    WriteObject(new PhotaProfile(deleted.ProfileId, "DELETED"));
                }
            }
            catch (PhotaException e)
            {
                WriteFailure(e, id);
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
