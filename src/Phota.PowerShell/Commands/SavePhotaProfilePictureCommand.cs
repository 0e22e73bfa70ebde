using System.Management.Automation;
using Phota.Errors;
using Phota.Images;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>Save-PhotaProfilePicture: saves a profile's picture as a JPEG file, &lt;profile id&gt;.jpg in -OutputDirectory or at -Path.</summary>
[Cmdlet(VerbsData.Save, "PhotaProfilePicture", DefaultParameterSetName = DirectorySet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SavePhotaProfilePictureCommand : ProfileCmdlet
{
    private const string DirectorySet = "OutputDirectory";
    private const string PathSet = "Path";

    /// <summary>The folder for &lt;profile id&gt;.jpg (created if missing), like the other cmdlets' -OutputDirectory. Default: the current location.</summary>
    [Parameter(ParameterSetName = DirectorySet)]
    [Alias("OutDir")]
    public string? OutputDirectory { get; set; }

    /// <summary>The file to write (one profile), or an existing folder (the file is then &lt;profile id&gt;.jpg).</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 1)]
    [Alias("LiteralPath", "OutFile")]
    public string? Path { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var id in ProfileIds)
        {
            var target = ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : System.IO.Path.Combine(ResolveDirectory(OutputDirectory), id + ".jpg");
            if (Directory.Exists(target))
            {
                target = System.IO.Path.Combine(target, id + ".jpg");
            }
            if (!ShouldProcess(target, $"Save the picture of Phota profile {id}"))
            {
                continue;
            }
            try
            {
                var saved = Await(token => Client.SaveProfilePictureAsync(id, target, Force ? FileCollision.Overwrite : FileCollision.Fail, token));
                // Through the provider, so the FileInfo carries PSPath and formats like Get-Item's.
                WriteObject(InvokeProvider.Item.Get([saved], false, true), enumerateCollection: true);
            }
            catch (PhotaException e)
            {
                WriteFailure(e, id);
            }
        }
    }
}
