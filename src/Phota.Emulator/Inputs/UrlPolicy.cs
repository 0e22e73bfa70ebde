using System.Net;

namespace Phota.Emulator.Inputs;

/// <summary>
/// Which hosts the emulator may contact. By default only loopback (<c>localhost</c>, 127.0.0.0/8,
/// ::1), so the emulator can never be used to reach other machines; <c>--allow-remote-fetch</c>
/// lifts the limit.
/// </summary>
internal static class UrlPolicy
{
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsLoopback(address));

    public static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Resolves <paramref name="host"/> and refuses it unless every address is loopback (no DNS tricks).</summary>
    public static async Task<IPAddress[]> ResolveLoopbackOnlyAsync(string host, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0 || !addresses.All(IsLoopback))
            throw new HttpRequestException($"'{host}' is not a loopback host.");
        return addresses;
    }
}
