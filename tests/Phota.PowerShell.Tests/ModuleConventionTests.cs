namespace Phota.PowerShell.Tests;

/// <summary>Rules every cmdlet of the module follows, checked on the imported module.</summary>
[Collection(PhotaModuleCollection.Name)]
public sealed class ModuleConventionTests
{
    private readonly PhotaModule _module;

    public ModuleConventionTests(PhotaModule module) => _module = module;

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        var listed = ModuleManifest.Load().List("CmdletsToExport").Order(StringComparer.Ordinal).ToList();
        var defined = _module.DefinedCmdletNames;
        Assert.NotEmpty(defined);
        Assert.Equal(defined, listed);
        Assert.DoesNotContain(listed, n => n.Contains('*'));
        // What PowerShell exports on import is that list.
        Assert.Equal(defined, _module.Cmdlets.Select(c => c.Name));
    }

    [Fact]
    public void Manifest_targets_PowerShell_7_4_Core_and_names_its_root_module_and_format_file()
    {
        var manifest = ModuleManifest.Load();
        Assert.Equal("7.4", manifest.Scalar("PowerShellVersion"));
        Assert.Equal(["Core"], manifest.List("CompatiblePSEditions"));
        Assert.Equal("Phota.PowerShell.dll", manifest.Scalar("RootModule"));
        Assert.Equal(["Phota.format.ps1xml"], manifest.List("FormatsToProcess"));
        Assert.True(File.Exists(Path.Combine(PhotaModule.RepositoryRoot, "src/Phota.PowerShell/Phota.format.ps1xml")));
        Assert.NotEmpty(_module.Run("Get-FormatData -TypeName Phota.PowerShell.PhotaImage"));
        Assert.Empty(manifest.List("FunctionsToExport"));
        Assert.Empty(manifest.List("AliasesToExport"));
        Assert.Contains("Phota", manifest.List("Tags"));
        Assert.StartsWith("https://", manifest.Scalar("ProjectUri"));
        Assert.StartsWith("https://", manifest.Scalar("LicenseUri"));
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb_and_the_Phota_noun_prefix()
    {
        Assert.All(_module.Cmdlets, c =>
        {
            Assert.Contains(c.Verb, _module.ApprovedVerbs);
            Assert.StartsWith("Phota", c.Noun, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        Assert.All(_module.Cmdlets, c => Assert.True(c.OutputTypes.Count > 0, $"{c.Name} has no [OutputType]."));
    }

    [Fact]
    public void Every_parameter_set_is_unambiguous()
    {
        foreach (CmdletMetadata cmdlet in _module.Cmdlets)
        {
            var sets = cmdlet.ParameterSetNames;
            if (sets.Count > 1)
            {
                Assert.True(cmdlet.DefaultParameterSetName is not null && sets.Contains(cmdlet.DefaultParameterSetName),
                    $"{cmdlet.Name} has several parameter sets but no valid DefaultParameterSetName.");
            }
            foreach (string set in sets)
            {
                var members = cmdlet.InSet(set).ToList();
                var positions = members.Where(m => m.Entry.Position >= 0).GroupBy(m => m.Entry.Position).Where(g => g.Count() > 1).ToList();
                Assert.True(positions.Count == 0, $"{cmdlet.Name} set {set}: two parameters share position {positions.FirstOrDefault()?.Key}.");
                int byValue = members.Count(m => m.Entry.ValueFromPipeline);
                Assert.True(byValue <= 1, $"{cmdlet.Name} set {set}: {byValue} parameters take the whole pipeline object.");
                if (sets.Count > 1 && set != cmdlet.DefaultParameterSetName)
                {
                    // A non-default set must be selectable: some parameter of it belongs to no other set.
                    var others = sets.Where(s => s != set).SelectMany(s => cmdlet.InSet(s)).Select(m => m.Parameter.Name).ToHashSet();
                    Assert.True(members.Any(m => !others.Contains(m.Parameter.Name)),
                        $"{cmdlet.Name} set {set} has no parameter of its own, so PowerShell cannot choose it.");
                }
            }
        }
    }

    [Fact]
    public void Parameter_aliases_do_not_collide_within_a_cmdlet()
    {
        Assert.All(_module.Cmdlets, c =>
        {
            var names = c.Parameters.SelectMany(p => p.Aliases.Append(p.Name)).GroupBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(names.Count == 0, $"{c.Name}: {string.Join(", ", names)} name more than one parameter.");
        });
    }

    [Fact]
    public void Every_cmdlet_that_spends_money_or_deletes_supports_WhatIf_and_Confirm()
    {
        string[] costly = ["Invoke-PhotaEdit", "Invoke-PhotaGenerate", "Invoke-PhotaEnhance", "Invoke-PhotaRemix", "New-PhotaProfile", "Remove-PhotaProfile"];
        Assert.All(costly, name => Assert.True(_module.Cmdlet(name).SupportsShouldProcess, $"{name} does not support -WhatIf/-Confirm."));
        Assert.Equal("High", _module.Cmdlet("Remove-PhotaProfile").ConfirmImpact);
    }

    [Fact]
    public void Every_API_cmdlet_takes_a_Session()
    {
        string[] local = ["New-PhotaSession", "Disconnect-Phota", "Test-PhotaWebhookSignature", "Optimize-PhotaJobJournal"];
        Assert.All(_module.Cmdlets.Where(c => !local.Contains(c.Name)), c => c.Parameter("Session"));
    }
}
