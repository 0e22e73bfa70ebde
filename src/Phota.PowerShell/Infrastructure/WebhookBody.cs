using System.Management.Automation;
using System.Text;

namespace Phota.PowerShell.Infrastructure;

/// <summary>
/// The exact bytes of a received callback body, as a parameter type: from a string (encoded as UTF-8) or a byte array.
/// Because an arbitrary object becomes neither, a piped callback object falls through to binding its Body property
/// by name instead of being taken whole as the body.
/// </summary>
public sealed class WebhookBody
{
    public WebhookBody(string text) => Bytes = Encoding.UTF8.GetBytes(text);

    public WebhookBody(byte[] bytes) => Bytes = bytes;

    /// <summary>The bytes the signature was computed over.</summary>
    public byte[] Bytes { get; }

    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// Turns a string or byte array into a <see cref="WebhookBody"/> while binding (the binder's own conversion does not
/// apply constructors taking arrays to cmdlet parameters); anything else is left for the binder to refuse.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class WebhookBodyTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            string text => new WebhookBody(text),
            byte[] bytes => new WebhookBody(bytes),
            _ => inputData,
        };
}
