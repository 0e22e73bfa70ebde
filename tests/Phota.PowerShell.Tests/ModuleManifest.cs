using System.Text.RegularExpressions;

namespace Phota.PowerShell.Tests;

/// <summary>
/// Reads the few keys of Phota.psd1 the tests check. The manifest is a PowerShell data file;
/// this reader understands the subset it uses: 'Key = value', 'Key = @( ... )' and nested hashtables.
/// </summary>
public sealed partial class ModuleManifest
{
    public string Text { get; }

    public ModuleManifest(string path) => Text = File.ReadAllText(path);

    public static ModuleManifest Load() => new(Path.Combine(PhotaModule.RepositoryRoot, "Phota.psd1"));

    public string Scalar(string key)
    {
        Match m = Regex.Match(Text, $@"(?m)^\s*{key}\s*=\s*'([^']*)'");
        Assert.True(m.Success, $"Phota.psd1 has no scalar {key}.");
        return m.Groups[1].Value;
    }

    public IReadOnlyList<string> List(string key)
    {
        Match m = Regex.Match(Text, $@"(?ms)^\s*{key}\s*=\s*@\((.*?)\)");
        Assert.True(m.Success, $"Phota.psd1 has no list {key}.");
        return QuotedString().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value).ToList();
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedString();
}
