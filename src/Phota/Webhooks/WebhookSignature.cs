using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Phota.Errors;
using Phota.Models;

namespace Phota.Webhooks;

/// <summary>
/// Verifies job callbacks: <c>X-Phota-Signature</c> is an HMAC-SHA256 of the exact body, keyed by the UTF-8 bytes of
/// the webhook signing secret. Hex in either case and an optional <c>sha256=</c> prefix are accepted; the comparison
/// takes constant time; a missing signature never verifies.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Phota-Signature";

    /// <summary>The signature the server would send for <paramref name="body"/> (lowercase hex).</summary>
    public static string Compute(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();
    }

    public static bool Verify(ReadOnlySpan<byte> body, string? signature, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrWhiteSpace(signature))
        {
            return false;
        }

        var text = signature.Trim();
        if (text.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            text = text["sha256=".Length..];
        }

        if (text.Length != 64)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        for (var i = 0; i < 32; i++)
        {
            var high = HexValue(text[2 * i]);
            var low = HexValue(text[2 * i + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            given[i] = (byte)((high << 4) | low);
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>Verifies the signature, then parses the body into the job status; throws <see cref="ErrorKind.InvalidSignature"/> if it does not verify.</summary>
    public static JobStatus ParseVerified(ReadOnlySpan<byte> body, string? signature, string secret)
    {
        if (!Verify(body, signature, secret))
        {
            throw new PhotaException(ErrorKind.InvalidSignature, string.IsNullOrWhiteSpace(signature)
                ? $"The callback has no {HeaderName} header; it cannot be trusted."
                : $"The callback's {HeaderName} does not match its body; it was not sent by Phota with this secret, or it was modified.");
        }

        return ParseBody(body);
    }

    /// <summary>Parses a callback body into the job status model (without verifying it).</summary>
    public static JobStatus ParseBody(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, PhotaJsonContext.Default.JobStatus)
                ?? throw new PhotaException(ErrorKind.InvalidResult, "The callback body is empty.");
        }
        catch (JsonException e)
        {
            throw new PhotaException(ErrorKind.InvalidResult, $"The callback body is not a job status: {e.Message}", e);
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
