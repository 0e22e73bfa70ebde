using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Phota.PowerShell.Tests;

/// <summary>
/// The committed help (src/Phota.PowerShell/en-US, generated from docs/en-US by PlatyPS and shipped by every build) says
/// what the markdown pages say: the same cmdlets, synopsis, description, inputs, outputs, parameters, examples and notes,
/// and the same about_Phota text. A page edited without regenerating the help (build.ps1 -Task Docs) fails here.
/// </summary>
public sealed partial class ExternalHelpTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly string HelpDirectory = Path.Combine(PhotaModule.RepositoryRoot, "src", "Phota.PowerShell", "en-US");

    private static readonly Lazy<IReadOnlyDictionary<string, XElement>> Commands = new(LoadCommands);

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var name in HelpPage.CmdletPageNames())
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void TheHelpFileHasACommandForEveryPageAndNoOther()
    {
        var pages = HelpPage.CmdletPageNames();
        Assert.NotEmpty(pages);
        Assert.Equal(pages, Commands.Value.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void SynopsisDescriptionAndNotesMatchThePage(string cmdlet)
    {
        var page = HelpPage.Load(cmdlet);
        var command = Commands.Value[cmdlet];

        Assert.Equal(Normalize(page.Section("SYNOPSIS")), Paragraphs(command.Element(Command + "details")?.Element(Maml + "description")));
        Assert.Equal(Normalize(page.Section("DESCRIPTION")), Paragraphs(command.Element(Maml + "description")));
        Assert.Equal(Normalize(page.Section("NOTES")), Paragraphs(command.Element(Maml + "alertSet")?.Element(Maml + "alert")));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void InputsAndOutputsMatchThePage(string cmdlet)
    {
        var page = HelpPage.Load(cmdlet);
        var command = Commands.Value[cmdlet];

        Assert.Equal(TypeEntries(page.Section("INPUTS")), TypeEntries(command.Element(Command + "inputTypes"), Command + "inputType"));
        Assert.Equal(TypeEntries(page.Section("OUTPUTS")), TypeEntries(command.Element(Command + "returnValues"), Command + "returnValue"));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryParameterMatchesThePage(string cmdlet)
    {
        var page = HelpPage.Load(cmdlet);
        var parameters = (Commands.Value[cmdlet].Element(Command + "parameters")?.Elements(Command + "parameter") ?? [])
            .ToDictionary(p => (string)p.Element(Maml + "name")!, StringComparer.Ordinal);

        Assert.Equal(page.Parameters.Keys.Order(StringComparer.Ordinal), parameters.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, block) in page.Parameters)
        {
            var maml = parameters[name];
            string where = $"{cmdlet} -{name}";
            Assert.True(block.Field("Type") == (string?)maml.Element(Dev + "type")?.Element(Maml + "name"), $"{where}: type");
            Assert.True(string.Equals(block.Field("Required"), (string?)maml.Attribute("required"), StringComparison.OrdinalIgnoreCase), $"{where}: required");
            Assert.True(string.Equals(block.Field("Position"), (string?)maml.Attribute("position"), StringComparison.OrdinalIgnoreCase), $"{where}: position");
            Assert.True(block.Field("Accept pipeline input") == (string?)maml.Attribute("pipelineInput"), $"{where}: pipeline input");
            string aliases = block.Field("Aliases") is { Length: > 0 } a ? a : "none";
            Assert.True(aliases == (string?)maml.Attribute("aliases"), $"{where}: aliases '{aliases}', help file '{maml.Attribute("aliases")}'");
            Assert.True(block.Field("Default value") == (string?)maml.Element(Dev + "defaultValue"), $"{where}: default value");
            Assert.True(Normalize(block.Description) == Paragraphs(maml.Element(Maml + "description")), $"{where}: description");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryExampleMatchesThePage(string cmdlet)
    {
        var page = HelpPage.Load(cmdlet);
        var examples = (Commands.Value[cmdlet].Element(Command + "examples")?.Elements(Command + "example") ?? []).ToList();

        Assert.Equal(page.Examples.Select(e => e.Title), examples.Select(e => ((string?)e.Element(Maml + "title") ?? "").Trim('-', ' ')));
        foreach (var (example, maml) in page.Examples.Zip(examples))
        {
            Assert.Equal(example.Code.Trim(), ((string?)maml.Element(Dev + "code") ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim());
            Assert.Equal(Normalize(example.Remarks), Paragraphs(maml.Element(Dev + "remarks")));
        }
    }

    [Fact]
    public void AboutTopicMatchesItsPage()
    {
        string page = File.ReadAllText(Path.Combine(HelpPage.Directory, "about_Phota.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string topic = File.ReadAllText(Path.Combine(HelpDirectory, "about_Phota.help.txt")).Replace("\r\n", "\n", StringComparison.Ordinal);

        // The page opens with "# <module>" and "## about_Phota"; the topic with "TOPIC" and the name, lower-cased.
        var pageHead = Regex.Match(page, @"\A# .+\n## (?<name>about_\w+)\n");
        var topicHead = Regex.Match(topic, @"\A\uFEFF?TOPIC\n\s+(?<name>about_\w+)\n");
        Assert.True(pageHead.Success && topicHead.Success, "about_Phota: the page or the topic lacks its heading.");
        Assert.Equal(pageHead.Groups["name"].Value, topicHead.Groups["name"].Value, ignoreCase: true);

        // The topic is the page's text rewrapped, without markdown's heading marks and code fences.
        string pageText = string.Join('\n', page[pageHead.Length..].Split('\n')
            .Where(l => !l.StartsWith("```", StringComparison.Ordinal))
            .Select(l => HeadingMark().Replace(l, "")));
        Assert.Equal(Normalize(pageText), Normalize(topic[topicHead.Length..]));
    }

    private static IReadOnlyDictionary<string, XElement> LoadCommands()
    {
        string path = Path.Combine(HelpDirectory, "Phota.PowerShell.dll-Help.xml");
        Assert.True(File.Exists(path), $"{path} is missing: run build.ps1 -Task Docs where PlatyPS 0.14 is installed, and commit it.");
        return XDocument.Load(path).Root!.Elements(Command + "command")
            .ToDictionary(c => (string)c.Element(Command + "details")!.Element(Command + "name")!, StringComparer.Ordinal);
    }

    /// <summary>The "### Type" entries of an INPUTS or OUTPUTS section: type name and text.</summary>
    private static List<(string Type, string Text)> TypeEntries(string? section) =>
        Regex.Matches(section ?? "", @"(?ms)^### (?<type>[^\n]+)\n(?<body>.*?)(?=^### |\z)")
            .Select(m => (m.Groups["type"].Value.Trim(), Normalize(m.Groups["body"].Value)))
            .ToList();

    private static List<(string Type, string Text)> TypeEntries(XElement? list, XName entry) =>
        (list?.Elements(entry) ?? [])
            .Select(e => (((string?)e.Element(Dev + "type")?.Element(Maml + "name") ?? "").Trim(), Paragraphs(e.Element(Maml + "description"))))
            .ToList();

    /// <summary>The text of an element's paragraphs, whitespace collapsed (the help file joins the lines of a markdown paragraph).</summary>
    private static string Paragraphs(XElement? element) =>
        Normalize(string.Join(' ', element?.Elements(Maml + "para").Select(p => p.Value) ?? []));

    private static string Normalize(string? text) => Whitespace().Replace(text ?? "", " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^#+ ")]
    private static partial Regex HeadingMark();
}
