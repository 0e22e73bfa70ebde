using System.Management.Automation;
using System.Security;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// Lets a SecureString parameter take a plain string too (-ApiKey 'key' as well as -ApiKey (Get-Secret Phota)).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            SecureString secure => secure,
            string text => SessionParameters.Secure(text),
            _ => throw new ArgumentTransformationMetadataException(
                $"Expected a string or a SecureString, not {value?.GetType().Name ?? "null"}."),
        };
    }
}
