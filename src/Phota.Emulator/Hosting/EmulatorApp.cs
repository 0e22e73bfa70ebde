using Phota.Emulator.Admin;
using Phota.Emulator.Auth;
using Phota.Emulator.Faults;
using Phota.Emulator.Files;
using Phota.Emulator.Http;
using Phota.Emulator.Jobs;
using Phota.Emulator.Profiles;
using Phota.Emulator.Studio;
using Phota.Emulator.Webhooks;

namespace Phota.Emulator.Hosting;

/// <summary>The request pipeline and the route table: one line per operation, each implemented in its own folder.</summary>
internal static class EmulatorApp
{
    public static void Configure(WebApplication app, EmulatorRuntime runtime)
    {
        app.Use(async (context, next) =>
        {
            RequestIds.Assign(context);
            await next(context).ConfigureAwait(false);
        });
        app.Use((context, next) => AbortFaultMiddleware.InvokeAsync(context, () => next(context), runtime.Faults));
        app.UseRouting();
        app.Use((context, next) => ApiGateMiddleware.InvokeAsync(context, () => next(context), runtime));

        StudioEndpoints.Map(app, runtime);           // POST /v1/phota/{edit,generate,enhance,remix}
        JobEndpoints.Map(app, runtime);              // GET  /v1/phota/jobs/{job_id}
        WebhookSecretEndpoint.Map(app, runtime);     // GET  /v1/phota/webhook-secret
        ProfileEndpoints.Map(app, runtime);          // /v1/phota/profiles/...
        FileEndpoints.Map(app, runtime);             // GET  /_emulator/files/{job_id}/{index}.{ext}
        StaticFileEndpoints.Map(app, runtime);       // GET  /_emulator/static/{path} (with --static-dir)
        AccountEndpoint.Map(app, runtime);           // GET  /_emulator/account
    }
}
