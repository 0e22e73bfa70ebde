using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using Sma = System.Management.Automation;

namespace Phota.PowerShell.Tests;

/// <summary>One parameter's membership of one parameter set, as PowerShell reports it.</summary>
public sealed record ParameterSetEntry(string SetName, bool Mandatory, int Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

public sealed record ParameterMetadata(string Name, string TypeName, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetEntry> Sets,
    IReadOnlyList<string> ValidateSetValues, bool HasArgumentCompleter);

public sealed record CmdletMetadata(string Verb, string Noun, string? DefaultParameterSetName, bool SupportsShouldProcess,
    string ConfirmImpact, IReadOnlyList<string> OutputTypes, IReadOnlyList<ParameterMetadata> Parameters)
{
    public string Name => $"{Verb}-{Noun}";

    public const string AllParameterSets = ParameterAttribute.AllParameterSets;

    /// <summary>The names of the parameter sets the cmdlet declares (a cmdlet with none has the one implicit set).</summary>
    public IReadOnlyList<string> ParameterSetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(n => n != AllParameterSets).Distinct().ToList();
            return named.Count > 0 ? named : [AllParameterSets];
        }
    }

    public IEnumerable<(ParameterMetadata Parameter, ParameterSetEntry Entry)> InSet(string setName) =>
        Parameters.SelectMany(p => p.Sets.Where(s => s.SetName == setName || s.SetName == AllParameterSets).Select(s => (p, s)));

    public ParameterMetadata Parameter(string name) =>
        Parameters.SingleOrDefault(p => p.Name == name) ?? throw new Xunit.Sdk.XunitException($"{Name} has no parameter -{name}.");
}

[CollectionDefinition(Name)]
public sealed class PhotaModuleCollection : ICollectionFixture<PhotaModule>
{
    public const string Name = "Phota module";
}

/// <summary>
/// The built module imported into a PowerShell runspace hosted in the test process: its cmdlets as Get-Command reports
/// them, and a place to run commands with PowerShell's own parameter binding. The test output folder is the module
/// (Phota.psd1 and the format file are copied beside the referenced assemblies), so the Phota.PowerShell.dll that
/// PowerShell loads is the one the tests reference.
/// </summary>
public sealed class PhotaModule : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>The cmdlets the imported module exports, as Get-Command reports them.</summary>
    public IReadOnlyList<CmdletMetadata> Cmdlets { get; }

    /// <summary>The names of the cmdlets the module assembly defines, exported or not.</summary>
    public IReadOnlyList<string> DefinedCmdletNames { get; } = typeof(Infrastructure.ModuleInitializer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() is not null)
        .Select(t => t.GetCustomAttribute<CmdletAttribute>()!)
        .Select(c => $"{c.VerbName}-{c.NounName}")
        .Order(StringComparer.Ordinal)
        .ToList();

    public IReadOnlySet<string> ApprovedVerbs { get; }

    public static string RepositoryRoot => Path.GetFullPath(typeof(PhotaModule).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    public PhotaModule()
    {
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        Run($"Import-Module -Name '{Path.Combine(AppContext.BaseDirectory, "Phota.psd1")}' -ErrorAction Stop");
        ApprovedVerbs = Run("(Get-Verb).Verb").Select(v => (string)v.BaseObject).ToHashSet(StringComparer.Ordinal);
        var exported = Run("Get-Command -Module Phota -CommandType Cmdlet").Select(c => (CmdletInfo)c.BaseObject).ToList();
        // PowerShell reuses an assembly of the same name already loaded, so a module imported from elsewhere would still run this one.
        Assert.All(exported, c => Assert.Same(typeof(Infrastructure.ModuleInitializer).Assembly, c.ImplementingType.Assembly));
        Cmdlets = exported.Select(Read).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    public CmdletMetadata Cmdlet(string name) =>
        Cmdlets.SingleOrDefault(c => c.Name == name) ?? throw new Xunit.Sdk.XunitException($"The module has no cmdlet {name}.");

    /// <summary>Runs a script in the module's runspace; any error it writes or throws fails the test.</summary>
    public Collection<PSObject> Run(string script)
    {
        var (output, errors) = Try(script);
        Assert.True(errors.Count == 0, $"{script}: {string.Join("; ", errors)}");
        return output;
    }

    /// <summary>Runs a script in the module's runspace and returns what it wrote and the errors it wrote or threw.</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Try(string script)
    {
        using var shell = Sma.PowerShell.Create(_runspace);
        shell.AddScript(script);
        try
        {
            var output = shell.Invoke();
            return (output, shell.Streams.Error.ToList());
        }
        catch (RuntimeException thrown)
        {
            return ([], [.. shell.Streams.Error, thrown.ErrorRecord]);
        }
    }

    public void Dispose() => _runspace.Dispose();

    private static CmdletMetadata Read(CmdletInfo cmdlet)
    {
        // The cmdlet's own parameters, without the common ones PowerShell adds to every cmdlet.
        var declared = new CommandMetadata(cmdlet);
        var parameters = declared.Parameters.Values.Select(p => new ParameterMetadata(
                p.Name,
                p.ParameterType.FullName!,
                p.Aliases,
                p.ParameterSets.Select(s => new ParameterSetEntry(s.Key, s.Value.IsMandatory, s.Value.Position, s.Value.ValueFromPipeline, s.Value.ValueFromPipelineByPropertyName)).ToList(),
                p.Attributes.OfType<ValidateSetAttribute>().SelectMany(v => v.ValidValues).ToList(),
                p.Attributes.OfType<ArgumentCompleterAttribute>().Any()))
            .ToList();
        return new CmdletMetadata(cmdlet.Verb, cmdlet.Noun, declared.DefaultParameterSetName, declared.SupportsShouldProcess,
            declared.ConfirmImpact.ToString(), cmdlet.OutputType.Select(t => t.Name).ToList(), parameters);
    }
}
