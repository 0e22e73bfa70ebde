using System.Management.Automation;
using Phota.Errors;
using Phota.Images;
using Phota.PowerShell.Completers;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Base of the studio cmdlets that take input images: -Image (paths with wildcards resolved through the provider,
/// URLs, base64; from the pipeline by value) or -LiteralPath (from the pipeline by property name: PSPath, FullName,
/// so Get-ChildItem output and the module's own output objects bind), and -ProfileId for the people in them.
/// </summary>
public abstract class ImageStudioCmdlet : StudioCmdlet
{
    protected const string ImageSet = "Image";
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Image files (wildcards allowed), http(s) URLs or base64 image data; binds a piped object's Path or Url (a -NoDownload result).</summary>
    [Parameter(ParameterSetName = ImageSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Path", "Url")]
    [ValidateNotNullOrEmpty]
    public string[] Image { get; set; } = [];

    /// <summary>Image files, taken exactly as written (no wildcards).</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Profiles whose identity to keep in the results (ids, [[id]] or profile objects).</summary>
    [Parameter]
    [ProfileIdTransformation]
    [ArgumentCompleter(typeof(ProfileIdCompleter))]
    public string[] ProfileId { get; set; } = [];

    /// <summary>
    /// The current item's images: each resolved input, or a non-terminating error naming the input that could not be
    /// used (missing, not an image, a wildcard matching nothing, ...).
    /// </summary>
    protected IReadOnlyList<(ImageInput Input, string Given)> ResolveImages(out bool anyFailed)
    {
        var resolved = new List<(ImageInput, string)>();
        anyFailed = false;
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (var given in literal ? LiteralPath : Image)
        {
            try
            {
                foreach (var input in Resolve(given, literal))
                {
                    resolved.Add((input, given));
                }
            }
            catch (Exception e) when (e is PhotaException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException or NotSupportedException)
            {
                anyFailed = true;
                WriteError(ErrorRecords.From(e is PhotaException ? e : new PhotaInputException(given, e.Message, "Check the path; use -LiteralPath for names containing wildcard characters.", e), given));
            }
        }
        return resolved;
    }

    /// <summary>Resolves one -ReferenceImage style value that must be exactly one image.</summary>
    protected ImageInput ResolveSingleImage(string given, string parameterName)
    {
        var inputs = Resolve(given, literal: false);
        return inputs.Count == 1 ? inputs[0]
            : throw new PhotaInputException(given, $"matches {inputs.Count} files.", $"Give -{parameterName} exactly one image.");
    }

    private List<ImageInput> Resolve(string given, bool literal)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return [ImageInput.Parse(given)];
        }
        if (!literal && (given.Contains("://", StringComparison.Ordinal) || given.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase)))
        {
            // URLs, data: URIs and unsupported schemes: the library tells them apart and explains refusals.
            return [ImageInput.Parse(given)];
        }

        if (literal)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out ProviderInfo literalProvider, out _);
            RequireFileSystem(literalProvider, given);
            return [ImageInput.FromFile(path)];
        }

        bool wildcard = WildcardPattern.ContainsWildcardCharacters(given);
        ProviderInfo provider;
        System.Collections.ObjectModel.Collection<string> paths;
        try
        {
            paths = GetResolvedProviderPathFromPSPath(given, out provider);
        }
        catch (Exception e) when (!wildcard && e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or ArgumentException or NotSupportedException or IOException or PSArgumentException)
        {
            // Not a file: base64 image data, or a missing file reported with its full path.
            return [ImageInput.Parse(given, CurrentDirectory)];
        }
        catch (ItemNotFoundException) when (wildcard)
        {
            throw new PhotaInputException(given, "matches no file.", "Check the pattern and the current location (Get-ChildItem shows what it matches).");
        }
        RequireFileSystem(provider, given);
        if (paths.Count == 0)
        {
            throw new PhotaInputException(given, "matches no file.", "Check the pattern and the current location (Get-ChildItem shows what it matches).");
        }
        // A wildcard that also matches folders takes the files only; a folder named outright is refused by the library.
        return paths.Where(p => !wildcard || !Directory.Exists(p)).Select(ImageInput.FromFile).ToList() is { Count: > 0 } files
            ? files
            : throw new PhotaInputException(given, "matches only folders.", "Match image files, for example *.jpg.");
    }

    private static void RequireFileSystem(ProviderInfo provider, string given)
    {
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            throw new PhotaInputException(given, $"is on the {provider.Name} provider, not the file system.", "Pass a file path, an http(s) URL or base64 image data.");
        }
    }
}
