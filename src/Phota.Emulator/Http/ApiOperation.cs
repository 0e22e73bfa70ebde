namespace Phota.Emulator.Http;

/// <summary>
/// Endpoint metadata: which OpenAPI operation a route implements and which cross-cutting
/// behaviours apply to it (auth, injected 503s, injected latency).
/// </summary>
internal sealed record ApiOperation(string Name, bool RequiresApiKey = true, bool Declares503 = false, bool IsApi = true);
