using Phota.Emulator.Accounts;
using Phota.Emulator.Faults;
using Phota.Emulator.Files;
using Phota.Emulator.Inputs;
using Phota.Emulator.Jobs;
using Phota.Emulator.State;
using Phota.Emulator.Studio;
using Phota.Emulator.Time;
using Phota.Emulator.Webhooks;

namespace Phota.Emulator.Hosting;

/// <summary>The emulator's parts, wired together once per running server.</summary>
internal sealed class EmulatorRuntime : IAsyncDisposable
{
    public EmulatorRuntime(EmulatorOptions options)
    {
        Options = options;
        Clock = new EmulatorClock(options.TimeProvider, options.TimeScale);
        Store = new EmulatorStore();
        Prices = new PriceTable(options);
        Faults = new FaultInjector(options);
        JobRunTimes = new JobRunTimes(options, Clock);
        Links = new DownloadLinks(Store);
        Http = LoopbackHttp.Create(options.AllowRemoteFetch, options.FetchTimeout);
        Inputs = new InputImageLoader(options, Http);
        Results = new EditResponseJson(Links, options, Clock);
        JobStatus = new JobStatusJson(Results);
        Callbacks = new CallbackDispatcher(options, Clock, Store, Address, JobStatus, Http);
        Settlement = new Settlement(Store, Clock, Callbacks);

        if (options.StateFile is { } path)
        {
            StateFile.LoadInto(path, Store);
            StateWriter = new StateFileWriter(path, Store);
        }

        foreach (var key in options.EffectiveApiKeys) Store.Ensure(key, options.CreditUsd);
    }

    public EmulatorOptions Options { get; }
    public EmulatorClock Clock { get; }
    public EmulatorStore Store { get; }
    public PriceTable Prices { get; }
    public FaultInjector Faults { get; }
    public JobRunTimes JobRunTimes { get; }
    public DownloadLinks Links { get; }
    public HttpClient Http { get; }
    public InputImageLoader Inputs { get; }
    public EditResponseJson Results { get; }
    public JobStatusJson JobStatus { get; }
    public CallbackDispatcher Callbacks { get; }
    public Settlement Settlement { get; }
    public ServerAddress Address { get; } = new();
    public StateFileWriter? StateWriter { get; }

    /// <summary>The documented durations as they run here.</summary>
    public TimeSpan InactiveAfter => Clock.Scaled(Options.ProfileInactiveAfter);

    public void Start()
    {
        Settlement.ResumeAll();
        StateWriter?.Start();
    }

    public async ValueTask DisposeAsync()
    {
        Settlement.Stop();
        Callbacks.Stop();
        if (StateWriter is not null) await StateWriter.DisposeAsync().ConfigureAwait(false);
        Http.Dispose();
    }
}
