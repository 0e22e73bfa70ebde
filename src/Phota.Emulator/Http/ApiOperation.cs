namespace Phota.Emulator.Http;

/// <summary>
/// Endpoint metadata: which OpenAPI operation a route implements and which cross-cutting
/// behaviours apply to it (auth, injected 500s and 503s, injected latency). <paramref name="Declares500"/> follows the
/// OpenAPI document: every operation but the webhook secret declares 500.
/// </summary>
internal sealed record ApiOperation(string Name, bool RequiresApiKey = true, bool Declares503 = false, bool IsApi = true, bool Declares500 = true);
