using System.Text.RegularExpressions;

namespace Phota.Tests;

/// <summary>
/// The library serves any .NET caller: its strings state facts and never name a cmdlet or a cmdlet parameter
/// (advice in PowerShell terms is the module's, in Phota.PowerShell's ErrorText).
/// </summary>
public partial class LibraryBoundaryTests
{
    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex InterpolationHole();

    [GeneratedRegex(@"\b(?:Get|Set|New|Remove|Wait|Receive|Invoke|Connect|Disconnect|Save|Test|ConvertFrom|Optimize)-Phota\w*|(?:^|[\s(""])-[A-Z][a-z]+[A-Za-z]*\b|\b(?:ThrottleLimit|TimeoutSec|LiteralPath|OutputDirectory|BaseUri)\b")]
    private static partial Regex PowerShellName();

    [Fact]
    public void No_string_in_the_library_names_a_cmdlet_or_a_parameter()
    {
        var library = Path.Combine(RepositoryRoot(), "src", "Phota");
        var offenders = new List<string>();
        var scanned = 0;
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            scanned++;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match literal in StringLiteral().Matches(lines[i]))
                {
                    // Interpolation holes are code (a property named BaseUri, say), not words a user reads.
                    if (PowerShellName().IsMatch(InterpolationHole().Replace(literal.Value, string.Empty)))
                    {
                        offenders.Add($"{Path.GetRelativePath(library, file)}:{i + 1}: {literal.Value}");
                    }
                }
            }
        }

        Assert.True(scanned > 20, $"only {scanned} source files found under {library}");
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_check_recognises_cmdlet_and_parameter_names()
    {
        Assert.Matches(PowerShellName(), "\"Run Get-PhotaJob | Receive-PhotaJob.\"");
        Assert.Matches(PowerShellName(), "\"Use -Force to overwrite it.\"");
        Assert.Matches(PowerShellName(), "\"ThrottleLimit\"");
        Assert.DoesNotMatch(PowerShellName(), "\"X-Phota-Signature\"");
        Assert.DoesNotMatch(PowerShellName(), "\"Use 1 to 4 output images (HTTP 422).\"");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Phota.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Phota.sln was not found above " + AppContext.BaseDirectory);
    }
}
