using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Completers;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>
/// Wait-PhotaProfile: waits for every given profile at once (one progress bar), emits each as soon as it is READY,
/// and writes an error carrying the server's message for each that ends in ERROR or INACTIVE or outlasts -TimeoutSec.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "PhotaProfile")]
[OutputType(typeof(PhotaProfile))]
public sealed class WaitPhotaProfileCommand : PhotaCmdlet
{
    private readonly List<string> _ids = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ProfileIdTransformation]
    [ArgumentCompleter(typeof(ProfileIdCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ProfileId { get; set; } = [];

    /// <summary>How long to wait, in seconds. Default: until every profile has finished.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord() => _ids.AddRange(ProfileId.Select(ProfileIdText.Normalize));

    protected override void EndProcessing()
    {
        try
        {
            Run(async token =>
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
