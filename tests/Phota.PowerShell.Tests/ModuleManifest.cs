using System.Collections;
using Sma = System.Management.Automation;

namespace Phota.PowerShell.Tests;

/// <summary>Phota.psd1 as PowerShell reads it (Import-PowerShellDataFile); keys of PrivateData.PSData are found too.</summary>
public sealed class ModuleManifest
{
    private static readonly Lazy<ModuleManifest> Repository = new(() => new(Path.Combine(PhotaModule.RepositoryRoot, "Phota.psd1")));

    private readonly Hashtable _keys;
    private readonly Hashtable _psData;

    public ModuleManifest(string path)
    {
        using var shell = Sma.PowerShell.Create();
        _keys = (Hashtable)shell.AddCommand("Import-PowerShellDataFile").AddParameter("LiteralPath", path).Invoke().Single().BaseObject;
        _psData = (_keys["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? [];
    }

    public static ModuleManifest Load() => Repository.Value;

    public string Scalar(string key) => Value(key) as string ?? throw new Xunit.Sdk.XunitException($"Phota.psd1 has no scalar {key}.");

    public IReadOnlyList<string> List(string key) =>
        Value(key) is object[] items ? items.Cast<string>().ToList() : throw new Xunit.Sdk.XunitException($"Phota.psd1 has no list {key}.");

    private object? Value(string key) => _keys.ContainsKey(key) ? _keys[key] : _psData[key];
}
