using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Phota.Emulator;

namespace Phota.Testing;

/// <summary>
/// The emulator's command line in a child process on a fixed free loopback port: it can be killed and started again
/// on the same address with its state file (as the real service keeps jobs across its own restarts), and the CPU
/// time and memory it uses are not the caller's.
/// </summary>
public sealed class EmulatorProcess : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<string> _command;
    private ChildProcess? _child;

    private EmulatorProcess(int port, IReadOnlyList<string> command)
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _command = command;
    }

    /// <summary>The emulator's own program (<c>Phota.Emulator.dll</c>), copied next to the caller by the project reference.</summary>
    public static string OwnProgram => Path.Combine(AppContext.BaseDirectory, "Phota.Emulator.dll");

    public Uri BaseAddress { get; }

    public string ApiKey => EmulatorOptions.DefaultApiKey;

    public string Output => _child?.Output ?? string.Empty;

    public int ProcessId => Child.Id;

    /// <summary>Total CPU time the emulator process has used so far.</summary>
    public TimeSpan CpuTime => Child.CpuTime;

    private ChildProcess Child => _child ?? throw new InvalidOperationException("The emulator process is not running.");

    /// <summary>Starts the emulator's own program on a free port with <paramref name="args"/> (besides <c>--urls</c>).</summary>
    public static Task<EmulatorProcess> StartAsync(params string[] args) => StartAsync(OwnProgram, [], args);

    /// <summary>
    /// Starts <c>dotnet <paramref name="assembly"/> <paramref name="verb"/> args</c>: the emulator's own program, or an
    /// executable that runs the emulator's command line under a verb in a runtime set up as it chooses.
    /// </summary>
    public static async Task<EmulatorProcess> StartAsync(string assembly, IEnumerable<string> verb, IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        var emulator = new EmulatorProcess(FreePort(), [assembly, .. verb, .. args]);
        await emulator.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        return emulator;
    }

    /// <summary>Kills the process at once (SIGKILL): no graceful shutdown, no final state save.</summary>
    public void Kill() => _child?.Kill();

    /// <summary>Starts the process again on the same port and options (retrying while the port is still held).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            _child?.Dispose();
            _child = ChildProcess.StartAssembly(_command[0], [.. _command.Skip(1), "--urls", BaseAddress.GetLeftPart(UriPartial.Authority)]);
            try
            {
                await _child.WaitForLineAsync("listening on", StartTimeout, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException e) when (_child.HasExited)
            {
                last = e;
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("The emulator did not start on its port.", last);
    }

    /// <summary>GET /_emulator/account: balance and counters of the default key's account.</summary>
    public async Task<JsonElement> AccountAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return await http.GetFromJsonAsync<JsonElement>("_emulator/account", cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _child?.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
