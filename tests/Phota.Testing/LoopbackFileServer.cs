using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Phota.Testing;

/// <summary>
/// A plain HTTP server on 127.0.0.1 serving byte arrays registered by tests, so URL inputs (images,
/// training photos) can be fetched by the emulator without leaving the machine.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (byte[] Body, string ContentType)> _files = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _requests;

    public Uri BaseAddress { get; private set; } = null!;

    public int RequestCount => Volatile.Read(ref _requests);

    public static async Task<LoopbackFileServer> StartAsync()
    {
        var server = new LoopbackFileServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            if (server._files.TryGetValue(context.Request.Path.Value ?? "", out var file))
            {
                context.Response.ContentType = file.ContentType;
                context.Response.ContentLength = file.Body.Length;
                await context.Response.Body.WriteAsync(file.Body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        await app.StartAsync();
        server._app = app;
        server.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/> and returns its absolute URL.</summary>
    public string Add(string path, byte[] body, string contentType = "application/octet-stream")
    {
        var normalized = "/" + path.TrimStart('/');
        _files[normalized] = (body, contentType);
        return new Uri(BaseAddress, normalized).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
