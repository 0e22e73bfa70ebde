using System.Security.Cryptography;

namespace Phota.Emulator.Http;

/// <summary>Gives every request an id, sent as <c>X-Request-Id</c> and repeated in error bodies.</summary>
internal static class RequestIds
{
    private const string ItemKey = "phota.request-id";

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string s ? s : Assign(context);

    public static string Assign(HttpContext context)
    {
        var id = "req_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        context.Items[ItemKey] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["X-Request-Id"] = id;
            return Task.CompletedTask;
        });
        return id;
    }
}
