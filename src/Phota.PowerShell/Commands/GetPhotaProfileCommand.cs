using System.Management.Automation;
using Phota.Errors;
using Phota.PowerShell.Completers;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>Get-PhotaProfile: lists the account's profiles (optionally by tag), or gets the training status of the given ones.</summary>
[Cmdlet(VerbsCommon.Get, "PhotaProfile", DefaultParameterSetName = ListSet)]
[OutputType(typeof(PhotaProfile))]
public sealed class GetPhotaProfileCommand : PhotaCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "ProfileId";

    /// <summary>Profiles to get (ids, [[id]] or profile objects).</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ProfileIdTransformation]
    [ArgumentCompleter(typeof(ProfileIdCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ProfileId { get; set; } = [];

    /// <summary>Only the profiles with this tag.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == ListSet)
            {
                foreach (var profile in Await(token => Client.ListProfilesAsync(Tag, token)))
                {
                    WriteObject(new PhotaProfile(profile));
                }
                return;
            }

            foreach (var id in ProfileId)
            {
                try
                {
                    var status = Await(token => Client.GetProfileStatusAsync(ProfileIdText.Normalize(id), token));
                    WriteObject(new PhotaProfile(status));
                }
                catch (PhotaException e) when (!e.IsFatalForBatch)
                {
                    WriteError(ErrorRecords.From(e, id));
                }
            }
        }
        catch (PhotaException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e, Tag));
        }
    }
}
