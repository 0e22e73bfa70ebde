using System.Collections.Concurrent;
using System.Net;
using Phota.Sessions;

namespace Phota.Http;

/// <summary>
/// One long-lived <see cref="HttpClient"/> per distinct transport setting (proxy choice), shared by every client and
/// session with those settings, so connections are pooled across cmdlet calls and DNS changes are still picked up.
/// </summary>
internal static class HttpClientCache
{
    private static readonly ConcurrentDictionary<string, HttpClient> Shared = new(StringComparer.Ordinal);

    public static HttpClient Get(PhotaSession session)
        => Shared.GetOrAdd(KeyFor(session), _ => Create(session, additionalHandlers: null));

    /// <summary>A client the caller owns (and disposes), with extra handlers between it and the socket handler.</summary>
    public static HttpClient CreateOwned(PhotaSession session, IEnumerable<DelegatingHandler> additionalHandlers)
        => Create(session, additionalHandlers);

    private static string KeyFor(PhotaSession session)
        => session.IsLoopback ? "direct" : session.Proxy is null ? "system" : "proxy:" + session.Proxy.AbsoluteUri + (session.ProxyCredentials is null ? string.Empty : ":" + session.ProxyCredentials.UserName);

    private static HttpClient Create(PhotaSession session, IEnumerable<DelegatingHandler>? additionalHandlers)
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(15),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = true,
        };

        if (session.IsLoopback)
        {
            // The local emulator is never reached through a proxy.
            sockets.UseProxy = false;
        }
        else if (session.Proxy is not null)
        {
            sockets.UseProxy = true;
            sockets.Proxy = new WebProxy(session.Proxy) { Credentials = session.ProxyCredentials, BypassProxyOnLocal = true };
        }
        else
        {
            // Null proxy with UseProxy: HttpClient.DefaultProxy, which honours the system settings and
            // HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
            sockets.UseProxy = true;
        }

        HttpMessageHandler handler = sockets;
        if (additionalHandlers is not null)
        {
            foreach (var outer in additionalHandlers.Reverse())
            {
                outer.InnerHandler = handler;
                handler = outer;
            }
        }

        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
    }
}
