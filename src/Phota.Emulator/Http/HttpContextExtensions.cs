using Phota.Emulator.Accounts;

namespace Phota.Emulator.Http;

internal static class HttpContextExtensions
{
    private const string AccountKey = "phota.account";

    /// <summary>The authenticated caller's account (set by the API key check).</summary>
    public static Account Account(this HttpContext context) => (Account)context.Items[AccountKey]!;

    public static void SetAccount(this HttpContext context, Account account) => context.Items[AccountKey] = account;

    /// <summary>The address the client used, for links in responses (works through proxies on loopback too).</summary>
    public static Uri PublicBase(this HttpContext context) => new($"{context.Request.Scheme}://{context.Request.Host}/");
}
