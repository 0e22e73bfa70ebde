using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Wait-PhotaProfile: waits for every given profile at once (one progress bar), emits each as soon as it is READY,
/// and writes an error carrying the server's message for each that ends in ERROR or INACTIVE or outlasts -TimeoutSec.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "PhotaProfile")]
[OutputType(typeof(PhotaProfile))]
public sealed class WaitPhotaProfileCommand : ProfileCmdlet
{
    private readonly List<string> _ids = [];

    /// <summary>How long to wait, in seconds. Default: until every profile has finished.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord() => _ids.AddRange(ProfileIds);

    protected override void EndProcessing()
    {
        try
        {
            Await(async token =>
            {
                await foreach (var result in Client.WaitForProfilesAsync(_ids, CallTimeout, p => PostProgress(ProfileProgress.Record(p, MyInvocation.MyCommand.Name)), token).ConfigureAwait(false))
                {
                    if (result.Error is { } error)
                    {
                        PostError(ErrorRecords.From(error, result.ProfileId));
                    }
                    else
                    {
                        PostObject(new PhotaProfile(result.Status!, result.Tag));
                    }
                }
            });
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, _ids.ToArray()));
        }
        finally
        {
            WriteProgress(ProfileProgress.Completed(MyInvocation.MyCommand.Name));
        }
    }
}
