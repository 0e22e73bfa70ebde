namespace Phota.Emulator.State;

/// <summary>
/// Saves the state file shortly after each change (at most every 100 ms) and once more on shutdown,
/// so a restarted emulator continues where the previous one stopped.
/// </summary>
internal sealed class StateFileWriter(string path, EmulatorStore store) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _saveGate = new();
    private long _savedVersion = -1;
    private Task? _loop;

    public void Start()
    {
        SaveIfChanged();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false)) SaveIfChanged();
            }
            catch (OperationCanceledException)
            {
                // Stopping: DisposeAsync writes the final state.
            }
        });
    }

    public void SaveIfChanged()
    {
        lock (_saveGate)
        {
            var version = store.Version;
            if (version == _savedVersion) return;
            StateFile.Save(path, store);
            _savedVersion = version;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        SaveIfChanged();
    }
}
