using System.Globalization;
using System.Management.Automation;
using Phota.Jobs;

namespace Phota.PowerShell;

/// <summary>
/// One saved output image, as the studio cmdlets and Receive-PhotaJob emit it. FullName and PSPath let it pipe into
/// the next Phota cmdlet (and Get-Item, Copy-Item, ...) by property name, like a FileInfo. Every visible property is a
/// plain value, so Export-Csv and Out-GridView show values; the rich form of a list is a hidden property beside it.
/// </summary>
public sealed class PhotaImage
{
    private const string FileSystemProvider = "Microsoft.PowerShell.Core\\FileSystem::";

    public PhotaImage(SavedImage saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        FullName = saved.Path;
        Operation = saved.Operation.Value;
        Source = saved.Source;
        Variation = saved.Variation;
        Format = saved.Format.Value;
        KnownSubjectCounts = saved.KnownSubjects;
        JobId = saved.JobId;
        RequestId = saved.RequestId;
    }

    /// <summary>The file name, e.g. <c>beach.enhanced.jpg</c>.</summary>
    public string Name => System.IO.Path.GetFileName(FullName);

    /// <summary>Full path of the saved file.</summary>
    public string FullName { get; }

    /// <summary>The provider-qualified path, so -LiteralPath of any cmdlet binds it.</summary>
    public string PSPath => FileSystemProvider + FullName;

    /// <summary>The directory the file was saved in.</summary>
    public string? DirectoryName => System.IO.Path.GetDirectoryName(FullName);

    /// <summary>edit, generate, enhance or remix.</summary>
    public string Operation { get; }

    /// <summary>The input it came from (path or URL), or the prompt for generate.</summary>
    public string? Source { get; }

    /// <summary>Which output of the request (1-based).</summary>
    public int Variation { get; }

    /// <summary>jpg or png.</summary>
    public string Format { get; }

    /// <summary>The known subjects as text, <c>profile_id=count</c> pairs separated by "; " (empty when none).</summary>
    public string KnownSubjects => FormatCounts(KnownSubjectCounts);

    /// <summary>Profile id → times generated, summed over all outputs of the request (drives billing).</summary>
    [Hidden]
    public IReadOnlyDictionary<string, int> KnownSubjectCounts { get; }

    /// <summary>The async job id (empty in synchronous mode).</summary>
    public string? JobId { get; }

    /// <summary>The X-Request-Id of the submit, to quote to Phota support.</summary>
    public string? RequestId { get; }

    public override string ToString() => FullName;

    internal static string FormatCounts(IReadOnlyDictionary<string, int> counts)
        => string.Join("; ", counts.Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)));
}
