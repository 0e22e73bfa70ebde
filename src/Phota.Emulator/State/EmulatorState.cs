using Phota.Emulator.Accounts;
using Phota.Emulator.Hosting;
using Phota.Emulator.State;

namespace Phota.Emulator;

/// <summary>
/// Read-only inspection of a running emulator for tests: balances to the cent, charges, jobs and
/// profiles of one key. Every read first settles what the clock says has happened.
/// </summary>
public sealed class EmulatorState
{
    private readonly EmulatorRuntime _runtime;

    internal EmulatorState(EmulatorRuntime runtime) => _runtime = runtime;

    public decimal BalanceOf(string apiKey) => GetAccount(apiKey).BalanceUsd;

    public EmulatorAccountSnapshot GetAccount(string apiKey) => Read(apiKey, a => new EmulatorAccountSnapshot(
        a.Balance, a.Charged, a.Refunded, a.Submits, a.Jobs.Count, a.Profiles.Count, a.WebhookSecret is not null));

    public IReadOnlyList<EmulatorCharge> ChargesOf(string apiKey) => Read(apiKey, a =>
        (IReadOnlyList<EmulatorCharge>)a.Charges.Select(c => new EmulatorCharge(c.At, c.Kind, c.SubjectId, c.Amount, c.Refunded)).ToList());

    public IReadOnlyList<EmulatorJobSnapshot> JobsOf(string apiKey)
    {
        var now = _runtime.Clock.Now;
        return Read(apiKey, a => (IReadOnlyList<EmulatorJobSnapshot>)a.Jobs.Values.OrderBy(j => j.CreatedAt).Select(j => new EmulatorJobSnapshot(
            j.Id, j.Operation, j.Status(now), j.IsAsync, j.Cost, a.Charges.Any(c => c.SubjectId == j.Id && c.Refunded),
            j.ClientRequestId, j.Outputs.Count, j.CallbackAttempts, j.CallbackDelivered)).ToList());
    }

    public IReadOnlyList<EmulatorProfileSnapshot> ProfilesOf(string apiKey)
    {
        var now = _runtime.Clock.Now;
        return Read(apiKey, a => (IReadOnlyList<EmulatorProfileSnapshot>)a.Profiles.Values.OrderBy(p => p.CreatedAt).Select(p =>
        {
            var status = p.Status(now, _runtime.InactiveAfter);
            return new EmulatorProfileSnapshot(p.Id, status, p.Tag, p.Tier, p.ImageCount, p.Message(status));
        }).ToList());
    }

    /// <summary>Writes the state file now (when one is configured), instead of within 100 ms.</summary>
    public void Save() => _runtime.StateWriter?.SaveIfChanged();

    private T Read<T>(string apiKey, Func<Account, T> read)
    {
        var account = _runtime.Store.Find(apiKey) ?? throw new ArgumentException("This emulator does not accept that API key.", nameof(apiKey));
        _runtime.Settlement.Settle(account);
        lock (account.Gate) return read(account);
    }
}

public sealed record EmulatorAccountSnapshot(
    decimal BalanceUsd, decimal ChargedUsd, decimal RefundedUsd, long Submits, int Jobs, int Profiles, bool WebhookSecretMinted);

/// <summary>A debit; <see cref="Kind"/> is the studio operation or "profile"; <see cref="SubjectId"/> the job or profile id.</summary>
public sealed record EmulatorCharge(DateTimeOffset At, string Kind, string SubjectId, decimal AmountUsd, bool Refunded);

public sealed record EmulatorJobSnapshot(
    string JobId, string Operation, string Status, bool IsAsync, decimal CostUsd, bool Refunded, string? ClientRequestId,
    int OutputImages, int CallbackAttempts, bool CallbackDelivered);

public sealed record EmulatorProfileSnapshot(string ProfileId, string Status, string? Tag, string Tier, int ImageCount, string Message);
