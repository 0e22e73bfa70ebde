using System.Text.RegularExpressions;

namespace Phota.PowerShell.Tests;

/// <summary>An example of a help page: its heading, its code and the text after the code.</summary>
internal sealed record HelpExample(string Title, string Code, string Remarks);

/// <summary>One PlatyPS page of docs/en-US, split into its sections, examples and parameter blocks.</summary>
internal sealed class HelpPage
{
    /// <summary>docs/en-US, where the pages are.</summary>
    public static readonly string Directory = Path.Combine(PhotaModule.RepositoryRoot, "docs", "en-US");

    public string Text { get; }

    public string Title { get; }

    public IReadOnlyDictionary<string, ParameterBlock> Parameters { get; }

    public IReadOnlyList<HelpExample> Examples { get; }

    private HelpPage(string text)
    {
        Text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        Title = Regex.Match(Text, @"(?m)^# (.+)$").Groups[1].Value.Trim();

        var parameters = new Dictionary<string, ParameterBlock>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(Section("PARAMETERS") ?? "", @"(?ms)^### -(?<name>\S+)\n(?<body>.*?)(?=^### |\z)"))
        {
            Assert.False(parameters.ContainsKey(m.Groups["name"].Value), $"{Title} documents -{m.Groups["name"].Value} twice.");
            parameters[m.Groups["name"].Value] = new ParameterBlock(m.Groups["body"].Value);
        }
        Parameters = parameters;

        Examples = Regex.Matches(Section("EXAMPLES") ?? "", @"(?ms)^### (?<title>Example[^\n]*)\n(?<body>.*?)(?=^### |\z)")
            .Select(m =>
            {
                string body = m.Groups["body"].Value;
                var code = Regex.Match(body, @"(?ms)^```[a-z]*\n(?<code>.*?)^```");
                string remarks = code.Success ? body[(code.Index + code.Length)..] : body;
                return new HelpExample(m.Groups["title"].Value.Trim(), code.Groups["code"].Value, remarks.Trim());
            })
            .ToList();
    }

    public static HelpPage Load(string cmdlet)
    {
        string path = Path.Combine(Directory, cmdlet + ".md");
        Assert.True(File.Exists(path), $"docs/en-US/{cmdlet}.md is missing.");
        return new HelpPage(File.ReadAllText(path));
    }

    /// <summary>The names of the cmdlet pages (every page but the about_ topics).</summary>
    public static IReadOnlyList<string> CmdletPageNames() =>
        System.IO.Directory.GetFiles(Directory, "*.md")
            .Select(p => Path.GetFileNameWithoutExtension(p)!)
            .Where(n => !n.StartsWith("about_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The text under "## name" up to the next level-2 heading (null when absent).</summary>
    public string? Section(string name)
    {
        var m = Regex.Match(Text, $@"(?ms)^## {Regex.Escape(name)}\n(?<body>.*?)(?=^## |\z)");
        return m.Success ? m.Groups["body"].Value : null;
    }
}

/// <summary>A "### -Name" block: its description and the fields of its yaml metadata.</summary>
internal sealed class ParameterBlock
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    public string Description { get; }

    public ParameterBlock(string body)
    {
        var yaml = Regex.Match(body, @"(?ms)^```yaml\n(?<yaml>.*?)^```");
        Assert.True(yaml.Success, "A parameter block has no yaml metadata.");
        Description = body[..yaml.Index].Trim();
        foreach (var line in yaml.Groups["yaml"].Value.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                _fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
    }

    public string? Field(string name) => _fields.GetValueOrDefault(name);
}
