using Phota.Jobs;

namespace Phota.PowerShell;

/// <summary>
/// One saved output image, as the studio cmdlets and Receive-PhotaJob emit it. FullName and PSPath let it pipe into
/// the next Phota cmdlet (and Get-Item, Copy-Item, ...) by property name, like a FileInfo.
/// </summary>
public sealed class PhotaImage : PhotaOutput
{
    private const string FileSystemProvider = "Microsoft.PowerShell.Core\\FileSystem::";

    public PhotaImage(SavedImage saved)
        : base(saved)
    {
        FullName = saved.Path;
    }

    /// <summary>The file name, e.g. <c>beach.enhanced.jpg</c>.</summary>
    public string Name => System.IO.Path.GetFileName(FullName);

    /// <summary>Full path of the saved file.</summary>
    public string FullName { get; }

    /// <summary>The provider-qualified path, so -LiteralPath of any cmdlet binds it.</summary>
    public string PSPath => FileSystemProvider + FullName;

    /// <summary>The directory the file was saved in.</summary>
    public string? DirectoryName => System.IO.Path.GetDirectoryName(FullName);

    public override string ToString() => FullName;
}
