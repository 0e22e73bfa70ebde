using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Loads the module's dependencies (the client library, Polly) from the module's
/// <c>dependencies</c> folder into their own load context, so other modules that ship
/// different versions of the same assemblies keep working side by side.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    internal static readonly string DependencyDirectory = Path.Combine(
        Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location) ?? AppContext.BaseDirectory,
        "dependencies");

    internal static readonly DependencyLoadContext Instance = new();

    private DependencyLoadContext() : base("Phota", isCollectible: false)
    {
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Only what ships in the dependencies folder is isolated; everything else
        // (PowerShell, the runtime) comes from the default context.
        string path = Path.Combine(DependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}

/// <summary>Routes the module assembly's unresolved references to <see cref="DependencyLoadContext"/>.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveDependency;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveDependency;

    private static Assembly? ResolveDependency(AssemblyLoadContext defaultContext, AssemblyName assemblyName)
    {
        // Only requests from this module are redirected; the file check keeps the others untouched.
        string path = Path.Combine(DependencyLoadContext.DependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? DependencyLoadContext.Instance.LoadFromAssemblyName(assemblyName) : null;
    }
}
