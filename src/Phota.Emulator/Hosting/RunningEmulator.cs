using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Phota.Emulator.Hosting;
using Phota.Emulator.Inputs;

namespace Phota.Emulator;

/// <summary>An emulator serving on loopback in this process; dispose it to stop (the state file is written last).</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorRuntime _runtime;
    private int _disposed;

    private RunningEmulator(WebApplication app, EmulatorRuntime runtime, Uri baseAddress, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        _runtime = runtime;
        BaseAddress = baseAddress;
        Addresses = addresses;
        State = new EmulatorState(runtime);
    }

    /// <summary>The address actually bound (with the real port when started on port 0), ending in '/'.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every bound address (several when <c>--urls</c> lists several).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The keys this emulator accepts.</summary>
    public IReadOnlyList<string> ApiKeys => _runtime.Options.EffectiveApiKeys;

    public EmulatorOptions Options => _runtime.Options;

    /// <summary>Read-only inspection of balances, charges, jobs and profiles.</summary>
    public EmulatorState State { get; }

    /// <summary>Starts a server on <paramref name="url"/> (';'-separated list allowed; loopback unless allowed).</summary>
    public static async Task<RunningEmulator> StartAsync(EmulatorOptions options, string url = "http://127.0.0.1:0", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var urls = url.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0) throw new ArgumentException("No URL to listen on.", nameof(url));
        foreach (var u in urls)
        {
            if (!Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal),
                    UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                throw new ArgumentException($"'{u}' is not an http URL to listen on.", nameof(url));
            if (!options.AllowNonLoopback && !UrlPolicy.IsLoopback(parsed))
                throw new ArgumentException($"Refusing to listen on '{u}': it is not a loopback address. Pass --allow-non-loopback to allow it.", nameof(url));
        }

        var runtime = new EmulatorRuntime(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // the handlers enforce the documented cap while streaming
        });

        var app = builder.Build();
        EmulatorApp.Configure(app, runtime);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => new Uri(a.EndsWith('/') ? a : a + "/"))
            .ToList() ?? [];
        if (bound.Count == 0) bound.Add(new Uri(urls[0].TrimEnd('/') + "/"));
        runtime.Address.BaseAddress = bound[0];
        runtime.Start();
        return new RunningEmulator(app, runtime, bound[0], bound);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            await _runtime.DisposeAsync().ConfigureAwait(false);
        }
    }
}
