using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Phota.Emulator.Accounts;

namespace Phota.Emulator.State;

/// <summary>
/// All accounts, keyed by the SHA-256 of their API key (keys themselves are never kept), and the
/// secret that signs download links. Each account is locked on its own.
/// </summary>
internal sealed class EmulatorStore
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private long _version;

    public byte[] LinkSecret { get; set; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Increases on every change; the state file writer saves when it moves.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IEnumerable<Account> Accounts => _accounts.Values;

    public void MarkChanged() => Interlocked.Increment(ref _version);

    public static string HashKey(string apiKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))).ToLowerInvariant();

    public Account? Find(string apiKey) => _accounts.TryGetValue(HashKey(apiKey), out var account) ? account : null;

    /// <summary>Creates the key's account with <paramref name="credit"/> unless it exists (for example from the state file).</summary>
    public Account Ensure(string apiKey, decimal credit) =>
        _accounts.GetOrAdd(HashKey(apiKey), hash => new Account(hash) { Balance = credit });

    public void Add(Account account) => _accounts[account.KeyHash] = account;
}
