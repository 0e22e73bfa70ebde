using System.Text.Json;
using System.Text.Json.Nodes;
using Phota.Emulator.Accounts;
using Phota.Emulator.Jobs;
using Phota.Emulator.Profiles;

namespace Phota.Emulator.State;

/// <summary>
/// The <c>--state-file</c> format: accounts (by API-key hash, never the key), balances, charges,
/// profiles, jobs, idempotency keys, webhook secrets and the link-signing secret. Written to a
/// temporary file and renamed over the old one, so a reader never sees half a file.
/// </summary>
internal static class StateFile
{
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private sealed class AccountDto
    {
        public string KeyHash { get; set; } = "";
        public decimal Balance { get; set; }
        public decimal Charged { get; set; }
        public decimal Refunded { get; set; }
        public long Submits { get; set; }
        public string? WebhookSecret { get; set; }
        public List<ChargeRecord> Charges { get; set; } = [];
        public List<Job> Jobs { get; set; } = [];
        public List<Profile> Profiles { get; set; } = [];
        public Dictionary<string, string> IdempotencyKeys { get; set; } = [];
    }

    public static void LoadInto(string path, EmulatorStore store)
    {
        if (!File.Exists(path)) return;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The state file '{path}' is not valid JSON: {ex.Message}", ex);
        }

        if (root?["version"]?.GetValue<int>() != FormatVersion)
            throw new InvalidDataException($"The state file '{path}' has an unknown format version.");

        store.LinkSecret = Convert.FromBase64String(root["link_secret"]!.GetValue<string>());
        foreach (var node in root["accounts"]!.AsArray())
        {
            var dto = node.Deserialize<AccountDto>(Json)!;
            var account = new Account(dto.KeyHash)
            {
                Balance = dto.Balance,
                Charged = dto.Charged,
                Refunded = dto.Refunded,
                Submits = dto.Submits,
                WebhookSecret = dto.WebhookSecret,
            };
            account.Charges.AddRange(dto.Charges);
            foreach (var job in dto.Jobs) account.Jobs[job.Id] = job;
            foreach (var profile in dto.Profiles) account.Profiles[profile.Id] = profile;
            foreach (var (key, jobId) in dto.IdempotencyKeys) account.IdempotencyKeys[key] = jobId;
            store.Add(account);
        }
    }

    public static void Save(string path, EmulatorStore store)
    {
        var accounts = new JsonArray();
        foreach (var account in store.Accounts)
        {
            lock (account.Gate)
            {
                var dto = new AccountDto
                {
                    KeyHash = account.KeyHash,
                    Balance = account.Balance,
                    Charged = account.Charged,
                    Refunded = account.Refunded,
                    Submits = account.Submits,
                    WebhookSecret = account.WebhookSecret,
                    Charges = account.Charges,
                    Jobs = account.Jobs.Values.ToList(),
                    Profiles = account.Profiles.Values.ToList(),
                    IdempotencyKeys = account.IdempotencyKeys,
                };
                accounts.Add(JsonSerializer.SerializeToNode(dto, Json));
            }
        }

        var root = new JsonObject
        {
            ["version"] = FormatVersion,
            ["link_secret"] = Convert.ToBase64String(store.LinkSecret),
            ["accounts"] = accounts,
        };

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream)) root.WriteTo(writer);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
