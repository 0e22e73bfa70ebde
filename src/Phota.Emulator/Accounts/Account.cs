using Phota.Emulator.Jobs;
using Phota.Emulator.Profiles;

namespace Phota.Emulator.Accounts;

/// <summary>
/// One API key's world: balance, charges, jobs, profiles, idempotency keys and webhook secret.
/// Every read or write happens under <see cref="Gate"/>, so concurrent requests of one key are
/// serialised where money or identity is concerned and different keys never contend.
/// </summary>
internal sealed class Account(string keyHash)
{
    public object Gate { get; } = new();

    /// <summary>SHA-256 of the API key (hex); the key itself is never stored.</summary>
    public string KeyHash { get; } = keyHash;

    public decimal Balance { get; set; }
    public decimal Charged { get; set; }
    public decimal Refunded { get; set; }
    public long Submits { get; set; }
    public string? WebhookSecret { get; set; }

    public Dictionary<string, Job> Jobs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> IdempotencyKeys { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Profile> Profiles { get; } = new(StringComparer.Ordinal);
    public List<ChargeRecord> Charges { get; } = [];

    /// <summary>Debits <paramref name="amount"/> if the balance covers it. Caller holds <see cref="Gate"/>.</summary>
    public ChargeRecord? TryCharge(decimal amount, string kind, string subjectId, DateTimeOffset at)
    {
        if (Balance < amount) return null;
        Balance -= amount;
        Charged += amount;
        var record = new ChargeRecord { At = at, Kind = kind, SubjectId = subjectId, Amount = amount };
        Charges.Add(record);
        return record;
    }

    /// <summary>Gives back the charge for <paramref name="subjectId"/> once. Caller holds <see cref="Gate"/>.</summary>
    public void Refund(string subjectId)
    {
        var record = Charges.FirstOrDefault(c => c.SubjectId == subjectId && !c.Refunded);
        if (record is null) return;
        record.Refunded = true;
        Balance += record.Amount;
        Refunded += record.Amount;
    }
}

/// <summary>One debit: a studio job or a profile's training.</summary>
internal sealed class ChargeRecord
{
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string SubjectId { get; set; } = "";
    public decimal Amount { get; set; }
    public bool Refunded { get; set; }
}
