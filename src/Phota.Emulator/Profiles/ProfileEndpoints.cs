using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phota.Emulator.Accounts;
using Phota.Emulator.Hosting;
using Phota.Emulator.Http;
using Phota.Emulator.Imaging;
using Phota.Emulator.Inputs;
using Phota.Emulator.Validation;

namespace Phota.Emulator.Profiles;

/// <summary>
/// The profile operations. Adding charges the tier's price (402 when the balance cannot cover it)
/// and fetches the training images right away; problems (unfetchable or undecodable image, no
/// subject, see <see cref="SubjectRule"/>) surface as ERROR with a message when VALIDATING ends,
/// and the price is refunded then. The read-only operations and delete answer 402 only when the
/// balance is zero or below. Another key's profile is 404 PROFILE_NOT_FOUND.
/// </summary>
internal static class ProfileEndpoints
{
    private const int ParallelFetches = 8;
    private const int PictureSize = 512;

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapPost("/v1/phota/profiles/add", (HttpContext context) => AddAsync(context, runtime))
            .WithMetadata(new ApiOperation("add_profile"));
        app.MapGet("/v1/phota/profiles/ids", (HttpContext context) => ListAsync(context, runtime))
            .WithMetadata(new ApiOperation("get_profile_ids"));
        app.MapGet("/v1/phota/profiles/{profile_id}/status", (HttpContext context, string profile_id) => StatusAsync(context, profile_id, runtime))
            .WithMetadata(new ApiOperation("get_profile_status"));
        app.MapGet("/v1/phota/profiles/{profile_id}/profile_picture", (HttpContext context, string profile_id) => PictureAsync(context, profile_id, runtime))
            .WithMetadata(new ApiOperation("get_profile_picture"));
        app.MapDelete("/v1/phota/profiles/{profile_id}", (HttpContext context, string profile_id) => DeleteAsync(context, profile_id, runtime))
            .WithMetadata(new ApiOperation("delete_profile"));
    }

    private static async Task AddAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var account = context.Account();
        var body = await RequestBody.ReadJsonAsync(context, runtime.Options.MaxBodyBytes).ConfigureAwait(false);
        if (body.Document is null || body.Document.RootElement.ValueKind != JsonValueKind.Object)
        {
            body.Document?.Dispose();
            // This operation declares no 400: an oversized body is reported as a validation error.
            if (body.Outcome == RequestBody.Outcome.TooLarge)
            {
                var tooLarge = new ValidationErrors();
                tooLarge.Add("value_error", $"Value error, the request body is larger than the {runtime.Options.MaxBodyBytes / (1024 * 1024)} MB limit");
                await tooLarge.Write(context).ConfigureAwait(false);
            }
            else
            {
                await ValidationErrors.WriteBodyProblem(context, body).ConfigureAwait(false);
            }

            return;
        }

        var errors = new ValidationErrors();
        ProfileRequestReader.AddProfile? request;
        using (body.Document)
            request = ProfileRequestReader.Read(body.Document.RootElement, errors);
        if (request is null)
        {
            await errors.Write(context).ConfigureAwait(false);
            return;
        }

        var price = runtime.Prices.Profile(request.Tier);
        decimal balance;
        lock (account.Gate) balance = account.Balance;
        if (balance < price)
        {
            await ApiErrors.InsufficientCredit(context, price, balance).ConfigureAwait(false);
            return;
        }

        var problem = await ValidateTrainingImagesAsync(request.ImageUrls, runtime, context.RequestAborted).ConfigureAwait(false);
        var profile = new Profile
        {
            Id = "prof_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant(),
            Tag = request.Tag,
            Tier = request.Tier,
            ImageCount = request.ImageUrls.Count,
            TrainingDuration = runtime.Clock.Scaled(TrainingSchedule.Duration(request.Tier, request.ImageUrls.Count, runtime.Options)),
            ErrorMessage = problem,
        };

        bool charged;
        lock (account.Gate)
        {
            profile.CreatedAt = runtime.Clock.Now;
            balance = account.Balance;
            charged = account.TryCharge(price, "profile", profile.Id, profile.CreatedAt) is not null;
            if (charged) account.Profiles[profile.Id] = profile;
        }

        if (!charged)
        {
            await ApiErrors.InsufficientCredit(context, price, balance).ConfigureAwait(false);
            return;
        }

        runtime.Store.MarkChanged();
        runtime.Settlement.ScheduleAt(account, profile.ValidatedAt);
        await ApiErrors.WriteJson(context, 200, new JsonObject { ["profile_id"] = profile.Id }).ConfigureAwait(false);
    }

    /// <summary>Fetches every training image; returns the ERROR message validation will report, or null.</summary>
    private static async Task<string?> ValidateTrainingImagesAsync(List<string> urls, EmulatorRuntime runtime, CancellationToken ct)
    {
        var results = new InputImageLoader.Loaded[urls.Count];
        using var gate = new SemaphoreSlim(ParallelFetches);
        await Task.WhenAll(urls.Select(async (url, i) =>
        {
            var name = $"image_urls[{i}]";
            if (!url.TrimStart().StartsWith("http://", StringComparison.OrdinalIgnoreCase) &&
                !url.TrimStart().StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                results[i] = new InputImageLoader.Loaded(default, $"{name} is not an http(s) URL (training images are taken from URLs only).");
                return;
            }

            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                results[i] = await runtime.Inputs.LoadAsync(name, url, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        var failed = results.FirstOrDefault(r => r.Error is not null);
        if (failed.Error is not null) return "Validation failed: " + failed.Error;
        return SubjectRule.Check(results.Select(r => r.Info).ToList());
    }

    private static async Task ListAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var account = context.Account();
        string? tag = null;
        if (context.Request.Query.TryGetValue("tag", out var tagValues))
        {
            tag = tagValues.ToString();
            var length = tag.EnumerateRunes().Count();
            if (length is < 1 or > 128)
            {
                var errors = new ValidationErrors();
                errors.AddAt(new JsonArray("query", "tag"), length < 1 ? "string_too_short" : "string_too_long",
                    length < 1 ? "String should have at least 1 character" : "String should have at most 128 characters");
                await errors.Write(context).ConfigureAwait(false);
                return;
            }
        }

        if (await RefuseIfNoCreditAsync(context, account).ConfigureAwait(false)) return;

        var now = runtime.Clock.Now;
        var profiles = new JsonArray();
        lock (account.Gate)
        {
            foreach (var p in account.Profiles.Values.OrderBy(p => p.CreatedAt))
            {
                if (tag is not null && p.Tag != tag) continue;
                profiles.Add(new JsonObject
                {
                    ["profile_id"] = p.Id,
                    ["status"] = p.Status(now, runtime.InactiveAfter),
                    ["tag"] = p.Tag,
                });
            }
        }

        await ApiErrors.WriteJson(context, 200, new JsonObject { ["profiles"] = profiles }).ConfigureAwait(false);
    }

    private static async Task StatusAsync(HttpContext context, string profileId, EmulatorRuntime runtime)
    {
        var account = context.Account();
        if (await RefuseIfNoCreditAsync(context, account).ConfigureAwait(false)) return;
        var now = runtime.Clock.Now;
        JsonObject? body = null;
        lock (account.Gate)
        {
            if (account.Profiles.TryGetValue(profileId, out var profile))
            {
                var status = profile.Status(now, runtime.InactiveAfter);
                body = new JsonObject { ["profile_id"] = profile.Id, ["status"] = status, ["message"] = profile.Message(status) };
            }
        }

        await (body is null ? NotFound(context, profileId) : ApiErrors.WriteJson(context, 200, body)).ConfigureAwait(false);
    }

    private static async Task PictureAsync(HttpContext context, string profileId, EmulatorRuntime runtime)
    {
        var account = context.Account();
        if (await RefuseIfNoCreditAsync(context, account).ConfigureAwait(false)) return;
        string? status;
        lock (account.Gate)
            status = account.Profiles.TryGetValue(profileId, out var profile) ? profile.Status(runtime.Clock.Now, runtime.InactiveAfter) : null;

        if (status is null)
        {
            await NotFound(context, profileId).ConfigureAwait(false);
            return;
        }

        if (status is not ("READY" or "INACTIVE"))
        {
            await ApiErrors.Write(context, 404, ApiErrors.ProfileNotReady,
                $"Profile '{profileId}' has no picture yet (status {status}).").ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        SyntheticImage.Render(buffer, PictureSize, PictureSize, ImageFormatKind.Jpeg, Studio.OutputRenderer.Seed(profileId, -1));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "image/jpeg";
        context.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(HttpContext context, string profileId, EmulatorRuntime runtime)
    {
        var account = context.Account();
        if (await RefuseIfNoCreditAsync(context, account).ConfigureAwait(false)) return;
        bool removed;
        lock (account.Gate) removed = account.Profiles.Remove(profileId);
        if (!removed)
        {
            await NotFound(context, profileId).ConfigureAwait(false);
            return;
        }

        runtime.Store.MarkChanged();
        await ApiErrors.WriteJson(context, 200, new JsonObject { ["profile_id"] = profileId, ["status"] = "ok" }).ConfigureAwait(false);
    }

    private static Task NotFound(HttpContext context, string profileId) =>
        ApiErrors.Write(context, 404, ApiErrors.ProfileNotFound, $"Profile '{profileId}' was not found.");

    /// <summary>The read-only profile operations and delete refuse with 402 only when nothing is left.</summary>
    private static async Task<bool> RefuseIfNoCreditAsync(HttpContext context, Account account)
    {
        decimal balance;
        lock (account.Gate) balance = account.Balance;
        if (balance > 0) return false;
        await ApiErrors.InsufficientCredit(context, 0, balance).ConfigureAwait(false);
        return true;
    }
}
