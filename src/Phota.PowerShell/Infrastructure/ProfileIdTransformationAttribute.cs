using System.Collections;
using System.Management.Automation;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Lets -ProfileId take profile objects (anything with a ProfileId property) and the prompt form [[id]] as well as ids.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ProfileIdTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string or null || value is not IEnumerable items)
        {
            return ToId(inputData) is { } single ? new[] { single } : inputData;
        }

        var ids = new List<string>();
        foreach (var item in items)
        {
            ids.Add(ToId(item) ?? throw new ArgumentTransformationMetadataException($"'{item}' is not a profile id or profile."));
        }
        return ids.ToArray();
    }

    private static string? ToId(object? item)
    {
        if (item is null)
        {
            return null;
        }
        var psObject = item as PSObject ?? PSObject.AsPSObject(item);
        if (psObject.BaseObject is string text)
        {
            return ProfileIdText.Normalize(text);
        }
        return psObject.Properties["ProfileId"]?.Value is { } id ? ProfileIdText.Normalize(id.ToString()) : null;
    }
}
