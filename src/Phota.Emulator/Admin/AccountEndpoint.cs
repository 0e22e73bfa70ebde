using System.Text.Json.Nodes;
using Phota.Emulator.Hosting;
using Phota.Emulator.Http;

namespace Phota.Emulator.Admin;

/// <summary>
/// GET /_emulator/account (not part of the API): the caller's own balance and counters, for scripts,
/// benchmarks and restart tests that run the emulator out of process.
/// </summary>
internal static class AccountEndpoint
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/_emulator/account", (HttpContext context) =>
            {
                var account = context.Account();
                var now = runtime.Clock.Now;
                JsonObject body;
                lock (account.Gate)
                {
                    body = new JsonObject
                    {
                        ["balance_usd"] = account.Balance,
                        ["charged_usd"] = account.Charged,
                        ["refunded_usd"] = account.Refunded,
                        ["submits"] = account.Submits,
                        ["jobs"] = account.Jobs.Count,
                        ["jobs_async"] = account.Jobs.Values.Count(j => j.IsAsync),
                        ["jobs_pending_or_running"] = account.Jobs.Values.Count(j => !j.IsTerminal(now)),
                        ["jobs_failed"] = account.Jobs.Values.Count(j => j.IsTerminal(now) && j.Status(now) == "failed"),
                        ["profiles"] = account.Profiles.Count,
                        ["charges"] = account.Charges.Count,
                        ["callbacks_delivered"] = account.Jobs.Values.Count(j => j.CallbackDelivered),
                        ["webhook_secret_minted"] = account.WebhookSecret is not null,
                    };
                }

                return ApiErrors.WriteJson(context, 200, body);
            })
            .WithMetadata(new ApiOperation("emulator_account", IsApi: false, Declares500: false));
    }
}
