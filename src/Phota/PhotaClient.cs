namespace Phota;

/// <summary>Placeholder until the client library lands.</summary>
public sealed class PhotaClient
{
}
