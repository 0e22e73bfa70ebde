using Phota.Emulator;
using Xunit;

namespace Phota.Testing;

/// <summary>
/// xunit class fixture: one fast emulator for every test of a class, with an account (API key) of its own for each
/// test, so the balance, submits and jobs a test checks are its own. Tests that need other emulator options, faults
/// or a restart start their own emulator instead.
/// </summary>
public sealed class SharedEmulatorFixture : EmulatorFixture
{
    private const int Accounts = 40;
    private int _handedOut;

    /// <summary>A key no test of this class has used yet.</summary>
    public string NewAccount()
    {
        var next = Interlocked.Increment(ref _handedOut);
        return next < Emulator.ApiKeys.Count
            ? Emulator.ApiKeys[next]
            : throw new InvalidOperationException($"The shared emulator has only {Accounts} accounts; raise {nameof(Accounts)} for a class with more tests.");
    }

    protected override void Configure(EmulatorOptions options)
    {
        // The documented key stays first (the fixture's ApiKey); the others are handed out one per test.
        options.ApiKeys.Add(EmulatorOptions.DefaultApiKey);
        options.ApiKeys.AddRange(Enumerable.Range(1, Accounts).Select(i => $"test-account-{i:D2}"));
    }
}

/// <summary>Tests of the client against the emulator of their class (<see cref="SharedEmulatorFixture"/>).</summary>
public abstract class SharedEmulatorTests(SharedEmulatorFixture fixture) : IClassFixture<SharedEmulatorFixture>
{
    protected RunningEmulator Emulator => fixture.Emulator;

    protected EmulatorState State => fixture.State;

    /// <summary>A key no other test has used.</summary>
    protected string NewAccount() => fixture.NewAccount();

    /// <summary>A client with an account of its own.</summary>
    protected TestClient NewClient(ClientSettings? settings = null) => new(fixture.Emulator, fixture.NewAccount(), settings);
}
