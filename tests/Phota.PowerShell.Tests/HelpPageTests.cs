using System.Text.RegularExpressions;

namespace Phota.PowerShell.Tests;

/// <summary>
/// Keeps docs/en-US honest against the built module: every exported cmdlet has a PlatyPS page, every parameter is
/// documented with the metadata PlatyPS records (type, sets, aliases, position, pipeline input) and nothing that does
/// not exist is claimed, every page has runnable-looking examples that use only real parameters, and about_Phota
/// covers the topics the module's behaviour depends on.
/// </summary>
[Collection(PhotaModuleCollection.Name)]
public sealed partial class HelpPageTests
{
    /// <summary>Parameters PowerShell adds to every cmdlet; examples may use them, pages describe them under CommonParameters.</summary>
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private readonly PhotaModule _module;

    public HelpPageTests(PhotaModule module) => _module = module;

    public static TheoryData<string> ExportedCmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var name in ModuleManifest.Load().List("CmdletsToExport"))
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void EveryExportedCmdletHasAPageAndEveryPageIsAnExportedCmdlet()
    {
        var exported = ModuleManifest.Load().List("CmdletsToExport").ToHashSet(StringComparer.Ordinal);
        var pages = HelpPage.CmdletPageNames().ToHashSet(StringComparer.Ordinal);

        Assert.True(exported.Count > 0, "Phota.psd1 exports no cmdlets.");
        Assert.Empty(exported.Except(pages).Order());
        Assert.Empty(pages.Except(exported).Order());
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void PageHasEveryPlatyPsSectionFilledIn(string cmdlet)
    {
        var page = HelpPage.Load(cmdlet);

        Assert.Equal(cmdlet, page.Title);
        foreach (var name in new[] { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES" })
        {
            Assert.False(string.IsNullOrWhiteSpace(page.Section(name)), $"{cmdlet}: ## {name} is missing or empty.");
        }
        Assert.DoesNotContain("{{", page.Text);
        Assert.Contains("external help file: Phota.PowerShell.dll-Help.xml", page.Text);
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void EveryParameterIsDocumentedAndNoOtherIsClaimed(string cmdlet)
    {
        var metadata = _module.Cmdlet(cmdlet);
        var page = HelpPage.Load(cmdlet);
        var expected = ExpectedParameters(metadata).ToHashSet(StringComparer.Ordinal);
        var documented = page.Parameters.Keys.ToHashSet(StringComparer.Ordinal);

        Assert.True(expected.SetEquals(documented),
            $"{cmdlet}: undocumented: [{string.Join(", ", expected.Except(documented))}]; documented but not a parameter: [{string.Join(", ", documented.Except(expected))}].");

        foreach (var (name, block) in page.Parameters)
        {
            Assert.False(string.IsNullOrWhiteSpace(block.Description), $"{cmdlet} -{name} has no description.");
            Assert.False(string.IsNullOrWhiteSpace(block.Field("Default value")), $"{cmdlet} -{name} has no default value.");
        }
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void ParameterMetadataMatchesTheModule(string cmdlet)
    {
        var metadata = _module.Cmdlet(cmdlet);
        var page = HelpPage.Load(cmdlet);

        foreach (var parameter in metadata.Parameters)
        {
            Assert.True(page.Parameters.TryGetValue(parameter.Name, out var block), $"{cmdlet} -{parameter.Name} is not documented.");
            string where = $"{cmdlet} -{parameter.Name}";

            Assert.Equal(ShortTypeName(parameter.TypeName), block.Field("Type"));

            var aliases = (block.Field("Aliases") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(parameter.Aliases.Order().SequenceEqual(aliases.Order()), $"{where}: aliases documented [{string.Join(", ", aliases)}], declared [{string.Join(", ", parameter.Aliases)}].");

            var sets = parameter.Sets.Any(s => s.SetName == CmdletMetadata.AllParameterSets)
                ? ["(All)"]
                : parameter.Sets.Select(s => s.SetName).Distinct().Order().ToArray();
            var documentedSets = (block.Field("Parameter Sets") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order();
            Assert.True(sets.SequenceEqual(documentedSets), $"{where}: parameter sets documented [{block.Field("Parameter Sets")}], declared [{string.Join(", ", sets)}].");

            bool byValue = parameter.Sets.Any(s => s.ValueFromPipeline);
            bool byName = parameter.Sets.Any(s => s.ValueFromPipelineByPropertyName);
            string pipeline = block.Field("Accept pipeline input") ?? "";
            Assert.True(pipeline.StartsWith(byValue || byName ? "True" : "False", StringComparison.Ordinal), $"{where}: 'Accept pipeline input: {pipeline}' does not match the declaration.");
            Assert.Equal(byValue, pipeline.Contains("ByValue", StringComparison.Ordinal));
            Assert.Equal(byName, pipeline.Contains("ByPropertyName", StringComparison.Ordinal));

            bool mandatory = parameter.Sets.Any(s => s.Mandatory);
            Assert.True(block.Field("Required")?.StartsWith(mandatory ? "True" : "False", StringComparison.Ordinal) == true,
                $"{where}: 'Required: {block.Field("Required")}' does not match the declaration.");

            var positions = parameter.Sets.Select(s => s.Position).Distinct().ToList();
            if (positions.Count == 1)
            {
                string position = positions[0] < 0 ? "Named" : positions[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(position == block.Field("Position"), $"{where}: 'Position: {block.Field("Position")}', declared {position}.");
            }

            if (parameter.ValidateSetValues.Count > 0)
            {
                var accepted = (block.Field("Accepted values") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.True(parameter.ValidateSetValues.SequenceEqual(accepted), $"{where}: accepted values documented [{string.Join(", ", accepted)}], declared [{string.Join(", ", parameter.ValidateSetValues)}].");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void SyntaxListsTheParameterSetsAndParametersOfTheModule(string cmdlet)
    {
        var metadata = _module.Cmdlet(cmdlet);
        var page = HelpPage.Load(cmdlet);
        string syntax = page.Section("SYNTAX")!;

        var documentedSets = SyntaxSetHeading().Matches(syntax).Select(m => m.Groups["name"].Value).Order().ToList();
        var declaredSets = metadata.ParameterSetNames.Where(n => n != CmdletMetadata.AllParameterSets).Order().ToList();
        if (declaredSets.Count > 1 || documentedSets.Count > 0)
        {
            Assert.Equal(declaredSets, documentedSets);
        }
        if (metadata.DefaultParameterSetName is { } defaultSet && declaredSets.Count > 1)
        {
            Assert.Contains($"### {defaultSet} (Default)", syntax);
        }

        var expected = ExpectedParameters(metadata).ToHashSet(StringComparer.Ordinal);
        var inSyntax = SyntaxParameter().Matches(syntax).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.True(expected.SetEquals(inSyntax),
            $"{cmdlet}: syntax lacks [{string.Join(", ", expected.Except(inSyntax))}] and claims [{string.Join(", ", inSyntax.Except(expected))}].");
        Assert.All(SyntaxCommand().Matches(syntax), m => Assert.Equal(cmdlet, m.Groups["name"].Value));
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void PageHasAtLeastTwoExamplesWithCode(string cmdlet)
    {
        var page = HelpPage.Load(cmdlet);
        var examples = page.Examples;

        Assert.True(examples.Count >= 2, $"{cmdlet} has {examples.Count} example(s); at least two are required.");
        foreach (var (title, code, _) in examples)
        {
            Assert.False(string.IsNullOrWhiteSpace(code), $"{cmdlet} '{title}' has no code block.");
            Assert.Contains(cmdlet, code, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void ExamplesUseOnlyRealCmdletsAndParameters(string cmdlet)
    {
        var exported = ModuleManifest.Load().List("CmdletsToExport").ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (title, code, _) in HelpPage.Load(cmdlet).Examples)
        {
            string withoutComments = string.Join('\n', code.Split('\n').Select(l => CommentTail().Replace(l, "")));
            foreach (Match use in PhotaCommandUse().Matches(withoutComments))
            {
                string name = use.Groups["name"].Value;
                Assert.True(exported.Contains(name), $"{cmdlet} '{title}' uses {name}, which the module does not export.");
                var used = _module.Cmdlet(exported.First(e => e.Equals(name, StringComparison.OrdinalIgnoreCase)));
                var known = used.Parameters.SelectMany(p => p.Aliases.Append(p.Name))
                    .Concat(CommonParameters)
                    .Concat(used.SupportsShouldProcess ? ["WhatIf", "Confirm"] : [])
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (Match argument in ExampleParameter().Matches(use.Groups["args"].Value))
                {
                    string parameter = argument.Groups["name"].Value;
                    Assert.True(known.Contains(parameter), $"{cmdlet} '{title}': {used.Name} has no parameter -{parameter}.");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ExportedCmdlets))]
    public void PaidCmdletsExplainCostAndWhatIf(string cmdlet)
    {
        var metadata = _module.Cmdlet(cmdlet);
        string notes = HelpPage.Load(cmdlet).Section("NOTES")!;
        if (metadata.SupportsShouldProcess)
        {
            Assert.Contains("-WhatIf", notes, StringComparison.Ordinal);
        }

        // The prices the API's release notes publish, on the pages of the operations they apply to.
        string[] prices = cmdlet switch
        {
            "New-PhotaProfile" => ["$2.90", "$1.49"],
            "Invoke-PhotaEnhance" or "Invoke-PhotaRemix" => ["$0.12", "$0.15"],
            _ => [],
        };
        foreach (var price in prices)
        {
            Assert.Contains(price, notes, StringComparison.Ordinal);
        }
        if (cmdlet is "Invoke-PhotaEdit" or "Invoke-PhotaGenerate")
        {
            Assert.Contains("base model", notes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AboutPhotaCoversTheModulesBehaviour()
    {
        string path = Path.Combine(HelpPage.Directory, "about_Phota.md");
        Assert.True(File.Exists(path), "docs/en-US/about_Phota.md is missing.");
        string text = File.ReadAllText(path);

        // PlatyPS turns the second heading into the topic's lookup name.
        Assert.Matches(@"(?m)\A# .+\r?\n## about_Phota\r?\n", text);
        Assert.DoesNotContain("{{", text);

        var headings = Regex.Matches(text, @"(?m)^#+ (.+)$").Select(m => m.Groups[1].Value.Trim()).ToList();
        foreach (var topic in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "SESSIONS", "PROFILES", "SYNC AND ASYNC", "JOURNAL", "RETRIES", "EMULATOR", "TROUBLESHOOTING" })
        {
            Assert.True(headings.Any(h => h.Contains(topic, StringComparison.Ordinal)), $"about_Phota has no section on {topic}.");
        }

        foreach (var fact in new[]
        {
            "PHOTA_API_KEY", "PHOTA_BASE_URL", "PHOTA_JOURNAL_PATH", "Connect-Phota", "-Session", "Get-Secret",
            "[[profile_id]]", "client_request_id", "Phota/journal.jsonl", "Get-PhotaJob | Receive-PhotaJob",
            "phota-emulator-key", "--help", "request id", "-Verbose", "-WhatIf",
        })
        {
            Assert.Contains(fact, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AboutPhotaNamesOnlyRealCmdlets()
    {
        var exported = ModuleManifest.Load().List("CmdletsToExport").ToHashSet(StringComparer.Ordinal);
        string text = File.ReadAllText(Path.Combine(HelpPage.Directory, "about_Phota.md"));
        var named = PhotaCommandName().Matches(text).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.DoesNotContain(named, n => !exported.Contains(n));
    }

    /// <summary>What a page must document: the declared parameters, plus -WhatIf and -Confirm where ShouldProcess adds them.</summary>
    private static IEnumerable<string> ExpectedParameters(CmdletMetadata metadata)
        => metadata.Parameters.Select(p => p.Name).Concat(metadata.SupportsShouldProcess ? ["WhatIf", "Confirm"] : []);

    /// <summary>The type name PlatyPS writes: the CLR name without namespace (String[], SwitchParameter, PhotaSession).</summary>
    private static string ShortTypeName(string fullName)
    {
        string name = fullName;
        var nullable = Regex.Match(name, @"^System\.Nullable`1\[\[(?<inner>[^,\]]+)");
        if (nullable.Success)
        {
            name = nullable.Groups["inner"].Value;
        }
        return name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"(?m)^### (?<name>\S+)( \(Default\))?\s*$")]
    private static partial Regex SyntaxSetHeading();

    [GeneratedRegex(@"(?<=[\s\[])-(?<name>[A-Za-z]+)(?=[\s\]])")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"(?m)^(?<name>[A-Z][a-z]+-\S+) ")]
    private static partial Regex SyntaxCommand();

    [GeneratedRegex(@"(?<![\w-])(?<name>[A-Z][a-z]+-Phota\w*)\b(?<args>[^|;(){}\r\n]*)")]
    private static partial Regex PhotaCommandUse();

    [GeneratedRegex(@"(?<![\w$.-])-(?<name>[A-Za-z][A-Za-z]*)(?=[\s:]|$)")]
    private static partial Regex ExampleParameter();

    [GeneratedRegex(@"\s#\s.*$|^\s*#.*$")]
    private static partial Regex CommentTail();

    [GeneratedRegex(@"\b[A-Z][a-z]+-Phota\w*\b")]
    private static partial Regex PhotaCommandName();
}
