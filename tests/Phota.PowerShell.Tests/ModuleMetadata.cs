using System.Reflection;
using System.Runtime.InteropServices;

namespace Phota.PowerShell.Tests;

/// <summary>One parameter's membership of one parameter set, as declared by a [Parameter] attribute.</summary>
public sealed record ParameterSetEntry(string SetName, bool Mandatory, int Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

public sealed record ParameterMetadata(string Name, string TypeName, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetEntry> Sets,
    IReadOnlyList<string> ValidateSetValues, bool HasArgumentCompleter);

public sealed record CmdletMetadata(string Verb, string Noun, string TypeName, string? DefaultParameterSetName, bool SupportsShouldProcess,
    string ConfirmImpact, IReadOnlyList<string> OutputTypes, IReadOnlyList<ParameterMetadata> Parameters)
{
    public string Name => $"{Verb}-{Noun}";

    public const string AllParameterSets = "__AllParameterSets";

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

/// <summary>
/// Reads the built module assembly with MetadataLoadContext: nothing is loaded or executed,
/// so these checks hold on machines without PowerShell.
/// </summary>
public sealed class ModuleMetadata : IDisposable
{
    private readonly MetadataLoadContext _context;

    public IReadOnlyList<CmdletMetadata> Cmdlets { get; }

    public IReadOnlySet<string> ApprovedVerbs { get; }

    public static string ModuleOutputDirectory => Metadata("ModuleOutputDirectory");

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    public ModuleMetadata()
    {
        string moduleDll = Path.Combine(ModuleOutputDirectory, "Phota.PowerShell.dll");
        if (!File.Exists(moduleDll))
        {
            throw new FileNotFoundException($"The module assembly was not built at {moduleDll}.");
        }
        var paths = new List<string>(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
        // System.Management.Automation comes from the PowerShellStandard reference package copied beside the tests.
        paths.Add(Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll"));
        paths.AddRange(Directory.GetFiles(ModuleOutputDirectory, "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase)));
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths.Distinct(StringComparer.OrdinalIgnoreCase)));

        Assembly sma = _context.LoadFromAssemblyName("System.Management.Automation");
        ApprovedVerbs = new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsSecurity", "VerbsOther" }
            .SelectMany(t => sma.GetType("System.Management.Automation." + t, throwOnError: true)!.GetFields())
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

        Assembly module = _context.LoadFromAssemblyPath(moduleDll);
        Cmdlets = module.GetTypes()
            .Select(ReadCmdlet)
            .OfType<CmdletMetadata>()
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public CmdletMetadata Cmdlet(string name) =>
        Cmdlets.SingleOrDefault(c => c.Name == name) ?? throw new Xunit.Sdk.XunitException($"The module has no cmdlet {name}.");

    public void Dispose() => _context.Dispose();

    private static string Metadata(string key) =>
        typeof(ModuleMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static CmdletMetadata? ReadCmdlet(Type type)
    {
        CustomAttributeData? cmdlet = type.CustomAttributes.SingleOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
        if (cmdlet is null || type.IsAbstract)
        {
            return null;
        }
        string Named(CustomAttributeData a, string name, string fallback) =>
            a.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value?.ToString()).FirstOrDefault() ?? fallback;

        var outputTypes = type.CustomAttributes
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : [arg.Value])
            .Select(v => v is Type t ? t.FullName! : v?.ToString() ?? "")
            .ToList();

        var parameters = new List<ParameterMetadata>();
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var sets = property.CustomAttributes
                .Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
                .Select(a => new ParameterSetEntry(
                    Named(a, "ParameterSetName", CmdletMetadata.AllParameterSets),
                    bool.Parse(Named(a, "Mandatory", "False")),
                    int.Parse(Named(a, "Position", int.MinValue.ToString())),
                    bool.Parse(Named(a, "ValueFromPipeline", "False")),
                    bool.Parse(Named(a, "ValueFromPipelineByPropertyName", "False"))))
                .ToList();
            if (sets.Count == 0)
            {
                continue;
            }
            var aliases = property.CustomAttributes
                .Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => (string)i.Value!) : [(string)arg.Value!])
                .ToList();
            var validateSet = property.CustomAttributes
                .Where(a => a.AttributeType.FullName == "System.Management.Automation.ValidateSetAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => (string)i.Value!) : [(string)arg.Value!])
                .ToList();
            bool completer = property.CustomAttributes.Any(a =>
                a.AttributeType.FullName == "System.Management.Automation.ArgumentCompleterAttribute"
                || a.AttributeType.BaseType?.FullName == "System.Management.Automation.ArgumentCompleterAttribute");
            parameters.Add(new ParameterMetadata(property.Name, property.PropertyType.FullName ?? property.PropertyType.Name, aliases, sets, validateSet, completer));
        }

        return new CmdletMetadata(
            Verb: (string)cmdlet.ConstructorArguments[0].Value!,
            Noun: (string)cmdlet.ConstructorArguments[1].Value!,
            TypeName: type.FullName!,
            DefaultParameterSetName: cmdlet.NamedArguments.Where(n => n.MemberName == "DefaultParameterSetName").Select(n => (string?)n.TypedValue.Value).FirstOrDefault(),
            SupportsShouldProcess: bool.Parse(Named(cmdlet, "SupportsShouldProcess", "False")),
            ConfirmImpact: Named(cmdlet, "ConfirmImpact", "Medium") switch { "0" => "None", "1" => "Low", "2" => "Medium", "3" => "High", var other => other },
            OutputTypes: outputTypes,
            Parameters: parameters);
    }
}
