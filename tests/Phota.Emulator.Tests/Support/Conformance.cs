using Phota.Testing.OpenApi;

namespace Phota.Emulator.Tests.Support;

/// <summary>
/// Every response the tests' clients see is checked against the vendored OpenAPI document (status
/// declared for the operation, body valid against its schema); a violation fails the request, and
/// so the test, at once.
/// </summary>
internal static class Conformance
{
    public static ValidatingHandler CreateHandler() => new() { ThrowOnViolation = true };

    /// <summary>For the few tests that provoke a status the document does not declare (504, 405) on purpose.</summary>
    public static HttpMessageHandler CreateUncheckedHandler() => new SocketsHttpHandler();
}
