using System.Security.Cryptography;
using Phota.Emulator.Accounts;
using Phota.Emulator.State;

namespace Phota.Emulator.Webhooks;

/// <summary>The per-key webhook signing secret: minted on first use, the same ever after (kept in the state file).</summary>
internal static class WebhookSecrets
{
    public static string GetOrMint(Account account, EmulatorStore store)
    {
        lock (account.Gate)
        {
            if (account.WebhookSecret is { } existing) return existing;
            account.WebhookSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        store.MarkChanged();
        return account.WebhookSecret;
    }

    /// <summary>Lowercase hex HMAC-SHA256 of <paramref name="body"/>, keyed by the UTF-8 bytes of the secret.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToHexString(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();
}
