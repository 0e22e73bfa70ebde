using Phota.Emulator;
using Xunit;

namespace Phota.Testing;

/// <summary>
/// xunit fixture: an in-process Phota emulator on 127.0.0.1 (free port) with a fast time scale,
/// shared by the tests of a class. Derive and override <see cref="Configure"/> for other options,
/// or call <see cref="StartAsync"/> for a one-off emulator (faults, credit, job time).
/// </summary>
public class EmulatorFixture : IAsyncLifetime
{
    /// <summary>Every documented duration a thousand times shorter (3 min of training: 180 ms).</summary>
    public const double FastTimeScale = 0.001;

    private RunningEmulator? _emulator;

    public RunningEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started yet.");

    /// <summary>The first accepted key (the documented test key unless options say otherwise).</summary>
    public string ApiKey => Emulator.ApiKeys[0];

    public Uri BaseAddress => Emulator.BaseAddress;

    public EmulatorState State => Emulator.State;

    /// <summary>Adjusts the options before the emulator starts (the time scale is already fast).</summary>
    protected virtual void Configure(EmulatorOptions options)
    {
    }

    /// <summary>Options with the fast time scale, for tests that start their own emulator.</summary>
    public static EmulatorOptions FastOptions(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { TimeScale = FastTimeScale };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Starts a separate emulator (dispose it at the end of the test).</summary>
    public static Task<RunningEmulator> StartAsync(Action<EmulatorOptions>? configure = null) =>
        RunningEmulator.StartAsync(FastOptions(configure));

    /// <summary>A client for this fixture's emulator with X-API-Key set (pass null for no key).</summary>
    public HttpClient CreateClient(string? apiKey = "", HttpMessageHandler? handler = null) =>
        CreateClient(Emulator, apiKey, handler);

    /// <summary>
    /// A client for <paramref name="emulator"/>: <paramref name="apiKey"/> "" means its first key,
    /// null sends no key. <paramref name="handler"/> (for example a validating handler) sees every response.
    /// </summary>
    public static HttpClient CreateClient(RunningEmulator emulator, string? apiKey = "", HttpMessageHandler? handler = null)
    {
        var client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            BaseAddress = emulator.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var key = apiKey == "" ? emulator.ApiKeys[0] : apiKey;
        if (key is not null) client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    public virtual async Task InitializeAsync() => _emulator = await StartAsync(Configure).ConfigureAwait(false);

    public virtual async Task DisposeAsync()
    {
        if (_emulator is not null) await _emulator.DisposeAsync().ConfigureAwait(false);
    }
}
