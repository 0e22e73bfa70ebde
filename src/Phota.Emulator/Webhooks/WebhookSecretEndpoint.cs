using System.Text.Json.Nodes;
using Phota.Emulator.Hosting;
using Phota.Emulator.Http;

namespace Phota.Emulator.Webhooks;

/// <summary>GET /webhook-secret: the caller's signing secret, minted on first use. Never 402.</summary>
internal static class WebhookSecretEndpoint
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/v1/phota/webhook-secret", (HttpContext context) =>
                ApiErrors.WriteJson(context, 200, new JsonObject
                {
                    ["webhook_signing_secret"] = WebhookSecrets.GetOrMint(context.Account(), runtime.Store),
                }))
            .WithMetadata(new ApiOperation("get_webhook_secret", Declares500: false));
    }
}
