using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Phota.Emulator;

namespace Phota.Reliability.Tests.Support;

/// <summary>
/// The emulator's own executable (<c>Phota.Emulator.dll</c>, copied next to the tests by the project reference) in a
/// child process on a fixed loopback port, so it can be killed and started again on the same address with its state
/// file, as the real service keeps jobs across its own restarts.
/// </summary>
internal sealed class EmulatorProcess : IDisposable
{
    private readonly IReadOnlyList<string> _args;
    private ChildProcess? _child;

    private EmulatorProcess(int port, IReadOnlyList<string> args)
    {
        Port = port;
        _args = args;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "Phota.Emulator.dll");

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string ApiKey => EmulatorOptions.DefaultApiKey;

    public string Output => _child?.Output ?? string.Empty;

    /// <summary>Starts the emulator on a free port with <paramref name="args"/> (besides <c>--urls</c>).</summary>
    public static async Task<EmulatorProcess> StartAsync(params string[] args)
    {
        var emulator = new EmulatorProcess(FreePort(), args);
        await emulator.StartAgainAsync().ConfigureAwait(false);
        return emulator;
    }

    /// <summary>Kills the process at once (SIGKILL): no graceful shutdown, no final state save.</summary>
    public void Kill()
    {
        _child?.Kill();
    }

    /// <summary>Starts the process again on the same port and options (retrying while the port is still held).</summary>
    public async Task StartAgainAsync()
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            _child?.Dispose();
            _child = ChildProcess.Start(AssemblyPath, ["--urls", BaseAddress.GetLeftPart(UriPartial.Authority), .. _args]);
            try
            {
                await _child.WaitForLineAsync("listening on", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException e) when (_child.HasExited)
            {
                last = e;
                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("The emulator did not start again on its port.", last);
    }

    /// <summary>GET /_emulator/account for the default key.</summary>
    public async Task<JsonElement> AccountAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return await http.GetFromJsonAsync<JsonElement>("_emulator/account").ConfigureAwait(false);
    }

    public void Dispose() => _child?.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
