using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phota.Emulator.Accounts;
using Phota.Emulator.Hosting;
using Phota.Emulator.Http;
using Phota.Emulator.Imaging;
using Phota.Emulator.Jobs;
using Phota.Emulator.Time;
using Phota.Emulator.Validation;

namespace Phota.Emulator.Studio;

/// <summary>
/// POST /edit, /generate, /enhance and /remix. Order of checks: body and schema (422), the
/// documented 400s, an idempotent replay (returns the original job, no charge), referenced
/// profiles (404), input images (400), then the cost is reserved (402 if the balance cannot cover
/// it) and the job created. Sync requests wait for the job (504 and a refund past the time limit);
/// async ones get 202 with a JobHandle.
/// </summary>
internal static partial class StudioEndpoints
{
    public const string DeprecationDate = "2026-05-08";

    [GeneratedRegex(@"\[\[\s*([^\[\]\s]+)\s*\]\]")]
    private static partial Regex ProfileReference();

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        foreach (var operation in new[] { "edit", "generate", "enhance", "remix" })
        {
            app.MapPost($"/v1/phota/{operation}", (HttpContext context) => HandleAsync(context, operation, runtime))
                .WithMetadata(new ApiOperation(operation, Declares503: true));
        }
    }

    private static async Task HandleAsync(HttpContext context, string operation, EmulatorRuntime runtime)
    {
        var options = runtime.Options;
        var account = context.Account();

        var body = await RequestBody.ReadJsonAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
        if (body.Outcome == RequestBody.Outcome.TooLarge)
        {
            await ApiErrors.BadRequest(context, $"The request body is larger than the {options.MaxBodyBytes / (1024 * 1024)} MB limit.").ConfigureAwait(false);
            return;
        }

        if (body.Document is null || body.Document.RootElement.ValueKind != JsonValueKind.Object)
        {
            body.Document?.Dispose();
            await ValidationErrors.WriteBodyProblem(context, body).ConfigureAwait(false);
            return;
        }

        ReceivedStudioRequest request;
        var errors = new ValidationErrors();
        using (body.Document)
            request = StudioRequestReader.Read(operation, body.Document.RootElement, errors);

        if (!request.OutputFormatGiven)
            context.Response.Headers["X-Phota-Deprecation-Date"] = DeprecationDate;

        if (errors.Any)
        {
            await errors.Write(context).ConfigureAwait(false);
            return;
        }

        if (StudioRules.Check(request, options) is { } broken)
        {
            await ApiErrors.Write(context, 400, broken.Code, broken.Detail).ConfigureAwait(false);
            return;
        }

        if (request.ClientRequestId is { } clientId && FindByClientId(account, clientId) is { } earlier)
        {
            await ReplayAsync(context, account, earlier, runtime).ConfigureAwait(false);
            return;
        }

        var profileIds = request.ProfileIds
            .Concat(ProfileReference().Matches(request.Prompt).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (CheckProfiles(account, profileIds, runtime) is { } profileProblem)
        {
            await ApiErrors.Write(context, 404, profileProblem.Code, profileProblem.Detail).ConfigureAwait(false);
            return;
        }

        var inputs = new List<ImageInfo>(request.Inputs.Count);
        foreach (var (name, value) in request.Inputs)
        {
            var loaded = await runtime.Inputs.LoadAsync(name, value, context.RequestAborted).ConfigureAwait(false);
            if (loaded.Error is not null)
            {
                await ApiErrors.BadRequest(context, loaded.Error).ConfigureAwait(false);
                return;
            }

            inputs.Add(loaded.Info);
        }

        var size = OutputGeometry.For(request, inputs);
        var withIdentity = profileIds.Count > 0;
        var cost = runtime.Prices.Studio(operation, operation is "edit" or "generate" ? request.BaseModel : null,
            request.NumOutputImages, withIdentity);
        var runTime = runtime.JobRunTimes.Next(request.NumOutputImages);

        var job = new Job
        {
            Id = "job_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant(),
            Operation = operation,
            RunTime = runTime,
            IsAsync = request.Async,
            ResponseMode = request.ResponseMode,
            OutputFormat = request.OutputFormat,
            Outputs = Enumerable.Repeat(size, request.NumOutputImages).ToList(),
            KnownSubjects = profileIds.ToDictionary(id => id, _ => request.NumOutputImages, StringComparer.Ordinal),
            Cost = cost,
            ClientRequestId = request.ClientRequestId,
            CallbackUrl = request.CallbackUrl,
            FailCode = request.Async ? runtime.Faults.NextJobFailure() : null,
        };

        Job? replay = null;
        decimal balance;
        bool charged;
        lock (account.Gate)
        {
            account.Submits++;
            if (job.ClientRequestId is { } id && account.IdempotencyKeys.TryGetValue(id, out var existingId))
            {
                // Lost a race with an identical submit: that one is the job.
                replay = account.Jobs[existingId];
                charged = false;
                balance = account.Balance;
            }
            else
            {
                job.CreatedAt = runtime.Clock.Now;
                balance = account.Balance;
                charged = account.TryCharge(cost, operation, job.Id, job.CreatedAt) is not null;
                if (charged)
                {
                    account.Jobs[job.Id] = job;
                    if (job.ClientRequestId is { } key) account.IdempotencyKeys[key] = job.Id;
                    foreach (var profileId in profileIds)
                        if (account.Profiles.TryGetValue(profileId, out var used)) used.LastUsedAt = job.CreatedAt;
                }
                else
                {
                    account.Submits--;
                }
            }
        }

        runtime.Store.MarkChanged();
        if (replay is not null)
        {
            await ReplayAsync(context, account, replay, runtime, countSubmit: false).ConfigureAwait(false);
            return;
        }

        if (!charged)
        {
            await ApiErrors.InsufficientCredit(context, cost, balance).ConfigureAwait(false);
            return;
        }

        runtime.Settlement.ScheduleAt(account, job.CompletedAt);
        if (job.IsAsync)
        {
            // An acknowledged job must survive a crash: it is on disk before the client hears of it.
            runtime.StateWriter?.SaveIfChanged();
            await WriteHandleAsync(context, job).ConfigureAwait(false);
        }
        else
            await CompleteSyncAsync(context, account, job, runtime).ConfigureAwait(false);
    }

    private static Job? FindByClientId(Account account, string clientId)
    {
        lock (account.Gate)
            return account.IdempotencyKeys.TryGetValue(clientId, out var jobId) ? account.Jobs[jobId] : null;
    }

    private static (string Code, string Detail)? CheckProfiles(Account account, List<string> profileIds, EmulatorRuntime runtime)
    {
        var now = runtime.Clock.Now;
        lock (account.Gate)
        {
            foreach (var id in profileIds)
            {
                if (!account.Profiles.TryGetValue(id, out var profile))
                    return (ApiErrors.ProfileNotFound, $"Profile '{id}' was not found.");
                var status = profile.Status(now, runtime.InactiveAfter);
                if (status != "READY")
                    return (ApiErrors.ProfileNotReady, $"Profile '{id}' is not ready (status {status}); wait until its status is READY.");
            }
        }

        return null;
    }

    /// <summary>A resubmit with a known client_request_id: the original job again, charging nothing.</summary>
    private static async Task ReplayAsync(HttpContext context, Account account, Job job, EmulatorRuntime runtime, bool countSubmit = true)
    {
        if (countSubmit)
        {
            lock (account.Gate) account.Submits++;
            runtime.Store.MarkChanged();
        }

        if (job.IsAsync)
            await WriteHandleAsync(context, job).ConfigureAwait(false);
        else
            await CompleteSyncAsync(context, account, job, runtime).ConfigureAwait(false);
    }

    private static Task WriteHandleAsync(HttpContext context, Job job) =>
        ApiErrors.WriteJson(context, 202, new JsonObject
        {
            ["job_id"] = job.Id,
            ["status"] = "pending",
            ["poll_url"] = $"/v1/phota/jobs/{job.Id}",
        });

    /// <summary>Waits for a sync job; past the time limit the job fails, its cost is refunded and the answer is 504.</summary>
    private static async Task CompleteSyncAsync(HttpContext context, Account account, Job job, EmulatorRuntime runtime)
    {
        var limit = runtime.Clock.Scaled(runtime.Options.SyncTimeLimit);
        var deadline = job.CreatedAt + (job.RunTime > limit ? limit : job.RunTime);
        await EmulatorClock.Delay(deadline - runtime.Clock.Now).ConfigureAwait(false);

        if (job.RunTime > limit)
        {
            lock (account.Gate) job.TimedOut = true;
            runtime.Settlement.Settle(account);
            await ApiErrors.Write(context, 504, null,
                $"The request ran past the {runtime.Options.SyncTimeLimit.TotalSeconds:0} s limit and was stopped; its cost was refunded. Use async: true for long jobs.").ConfigureAwait(false);
            return;
        }

        // Rendering happens outside the account lock: a job's outputs never change once created.
        await ApiErrors.WriteJson(context, 200, runtime.Results.Build(job, context.PublicBase())).ConfigureAwait(false);
    }
}
