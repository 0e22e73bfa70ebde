using System.Management.Automation;
using Phota.Errors;
using Phota.Images;
using Phota.PowerShell.Completers;
using Phota.PowerShell.Infrastructure;

namespace Phota.PowerShell.Commands;

/// <summary>Save-PhotaProfilePicture: saves a profile's picture as a JPEG file.</summary>
[Cmdlet(VerbsData.Save, "PhotaProfilePicture")]
[OutputType(typeof(FileInfo))]
public sealed class SavePhotaProfilePictureCommand : PhotaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ProfileIdTransformation]
    [ArgumentCompleter(typeof(ProfileIdCompleter))]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ProfileId { get; set; } = [];

    /// <summary>The file to write, or an existing folder (the file is then &lt;profile id&gt;.jpg). Default: &lt;profile id&gt;.jpg in the current location.</summary>
    [Parameter(Position = 1)]
    [Alias("LiteralPath", "OutFile")]
    public string? Path { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var given in ProfileId)
        {
            var id = ProfileIdText.Normalize(given);
            var target = string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(CurrentDirectory, id + ".jpg") : GetUnresolvedProviderPathFromPSPath(Path);
            if (Directory.Exists(target))
            {
                target = System.IO.Path.Combine(target, id + ".jpg");
            }
            try
            {
                var saved = Run(token => Client.SaveProfilePictureAsync(id, target, Force ? FileCollision.Overwrite : FileCollision.Fail, token));
                // Through the provider, so the FileInfo carries PSPath and formats like Get-Item's.
                WriteObject(InvokeProvider.Item.Get([saved], false, true), enumerateCollection: true);
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
