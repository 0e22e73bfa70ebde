using System.Management.Automation;
using Phota.PowerShell.Completers;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets whose subject is profiles (Wait-PhotaProfile, Remove-PhotaProfile, Save-PhotaProfilePicture):
/// -ProfileId takes ids, the prompt form [[id]] or profile objects, from the pipeline by value or by property name, so
/// the output of Get-PhotaProfile and New-PhotaProfile binds.
/// </summary>
public abstract class ProfileCmdlet : PhotaCmdlet
{
    /// <summary>The profiles (ids, [[id]] or profile objects).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ProfileIdTransformation]
    [ArgumentCompleter(typeof(ProfileIdCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ProfileId { get; set; } = [];

    /// <summary>The current item's profile ids, in plain form.</summary>
    protected IEnumerable<string> ProfileIds => ProfileId.Select(ProfileIdText.Normalize);
}
