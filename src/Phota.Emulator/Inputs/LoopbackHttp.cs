using System.Net.Security;
using System.Net.Sockets;

namespace Phota.Emulator.Inputs;

/// <summary>
/// The HTTP client the emulator uses to fetch input URLs and deliver callbacks. Unless remote
/// access is allowed it connects to loopback addresses only (checked after name resolution). For
/// loopback targets it accepts any TLS certificate, so a local test receiver can use a throwaway
/// self-signed certificate; remote targets get normal certificate validation.
/// </summary>
internal static class LoopbackHttp
{
    public static HttpClient Create(bool allowRemote, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                // The target host name is the request's host: trust any certificate only for loopback.
                RemoteCertificateValidationCallback = (sender, _, _, errors) =>
                    errors == SslPolicyErrors.None || (sender is SslStream { TargetHostName: { } host } && IsLoopbackHost(host)),
            },
        };

        handler.ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = allowRemote
                ? await System.Net.Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false)
                : await UrlPolicy.ResolveLoopbackOnlyAsync(host, ct).ConfigureAwait(false);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

        return new HttpClient(handler) { Timeout = timeout };
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && UrlPolicy.IsLoopback(address));
}
