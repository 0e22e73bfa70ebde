using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Phota.Errors;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// The local record of every submitted job (JSON Lines, append-only), so no paid job is forgotten after Ctrl+C or a
/// crash. An intent line is written before a submit is sent, the job id as soon as the server answers. Several
/// processes may append at once: each append is one whole line written under a lock file. A line cut short by a
/// crash is skipped when reading and never glued to the next one. Never contains the API key or image data.
/// </summary>
public sealed class JobJournal
{
    public const string PathVariable = "PHOTA_JOURNAL_PATH";

    private static readonly ConcurrentDictionary<string, object> ProcessLocks = new(StringComparer.Ordinal);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);

    private readonly object _processLock;

    public JobJournal(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _processLock = ProcessLocks.GetOrAdd(OperatingSystem.IsWindows() ? Path.ToUpperInvariant() : Path, _ => new object());
    }

    public string Path { get; }

    /// <summary><c>PHOTA_JOURNAL_PATH</c> if set, else <c>&lt;LocalApplicationData&gt;/Phota/journal.jsonl</c>.</summary>
    public static string DefaultPath(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var fromEnvironment = environment(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return System.IO.Path.GetFullPath(fromEnvironment);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return System.IO.Path.Combine(root, "Phota", "journal.jsonl");
    }

    /// <summary>Every job in the journal, oldest first.</summary>
    public IReadOnlyList<JournalEntry> GetEntries() => Fold(ReadRecords());

    /// <summary>Jobs submitted (or possibly submitted) whose results have not all been saved.</summary>
    public IReadOnlyList<JournalEntry> GetOutstanding() => GetEntries().Where(e => e.IsOutstanding).ToList();

    public JournalEntry? Find(string jobIdOrClientRequestId)
        => GetEntries().LastOrDefault(e => e.JobId == jobIdOrClientRequestId || e.ClientRequestId == jobIdOrClientRequestId);

    /// <summary>
    /// Appends one record as a whole line; <paramref name="durable"/> waits until it is on disk. Any failure is a
    /// <see cref="ErrorKind.JournalUnavailable"/> error (callers check it before spending money).
    /// </summary>
    internal void Append(JournalRecord record, bool durable)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, PhotaJsonContext.Default.JournalRecord);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        try
        {
            lock (_processLock)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                using var fileLock = AcquireFileLock();
                using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                var length = stream.Length;
                var needsNewline = false;
                if (length > 0)
                {
                    // A crash may have left half a line: start on a fresh line so this record stays readable.
                    stream.Position = length - 1;
                    needsNewline = stream.ReadByte() != '\n';
                }

                stream.Position = length;
                if (needsNewline)
                {
                    var withBreak = new byte[line.Length + 1];
                    withBreak[0] = (byte)'\n';
                    line.CopyTo(withBreak, 1);
                    line = withBreak;
                }

                stream.Write(line, 0, line.Length);
                stream.Flush(flushToDisk: durable);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new PhotaException(ErrorKind.JournalUnavailable,
                $"Cannot record the job in the journal {Path}: {e.Message} Nothing was submitted. " +
                $"Make that folder writable (and check free disk space), or set {PathVariable} to another file.", e);
        }
    }

    internal IReadOnlyList<JournalRecord> ReadRecords()
    {
        var records = new List<JournalRecord>();
        if (!File.Exists(Path))
        {
            return records;
        }

        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    var record = JsonSerializer.Deserialize(line, PhotaJsonContext.Default.JournalRecord);
                    if (record is not null && !string.IsNullOrEmpty(record.ClientRequestId))
                    {
                        records.Add(record);
                    }
                }
                catch (JsonException)
                {
                    // A line cut short by a crash (or edited by hand): skip it, keep everything else.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PhotaException(ErrorKind.JournalUnavailable, $"Cannot read the journal {Path}: {e.Message}", e);
        }

        return records;
    }

    internal static IReadOnlyList<JournalEntry> Fold(IEnumerable<JournalRecord> records)
    {
        var entries = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var r in records)
        {
            if (!entries.TryGetValue(r.ClientRequestId, out var e))
            {
                e = new JournalEntry { ClientRequestId = r.ClientRequestId, CreatedAt = r.Time, State = JournalState.Intent };
                order.Add(r.ClientRequestId);
            }

            e = e with
            {
                JobId = r.JobId ?? e.JobId,
                Operation = r.Operation is null ? e.Operation : StudioOperation.FromWire(r.Operation),
                BaseUrl = r.BaseUrl ?? e.BaseUrl,
                Inputs = r.Inputs ?? e.Inputs,
                Request = r.Request ?? e.Request,
                OutputDirectory = r.OutputDirectory ?? e.OutputDirectory,
                Source = r.Source ?? e.Source,
                RequestId = r.RequestId ?? e.RequestId,
                KeyFingerprint = r.Key ?? e.KeyFingerprint,
                OutputStem = r.OutputStem ?? e.OutputStem,
                OutputFormat = r.OutputFormat is null ? e.OutputFormat : OutputFormat.FromWire(r.OutputFormat),
                NumOutputImages = r.NumOutputImages ?? e.NumOutputImages,
                UpdatedAt = r.Time,
            };

            switch (r.Type)
            {
                case JournalRecordTypes.Intent when e.State is JournalState.Downloaded or JournalState.Failed or JournalState.Expired:
                    // The same client_request_id submitted again (a re-run with the caller's own key): a new attempt,
                    // outstanding until it ends, whatever became of the last one.
                    e = e with { State = JournalState.Intent, ErrorCode = null, Message = null, Files = new Dictionary<int, string>(), CreatedAt = r.Time };
                    break;
                case JournalRecordTypes.Submitted when e.State == JournalState.Intent:
                    e = e with { State = JournalState.Submitted };
                    break;
                case JournalRecordTypes.Completed when e.State is JournalState.Intent or JournalState.Submitted:
                    e = e with { State = JournalState.Completed };
                    break;
                case JournalRecordTypes.File when r.Variation is { } v && r.File is not null:
                    e = e with { Files = new Dictionary<int, string>(e.Files) { [v] = r.File } };
                    break;
                case JournalRecordTypes.Downloaded:
                    e = e with { State = JournalState.Downloaded };
                    break;
                case JournalRecordTypes.Failed:
                    e = e with { State = JournalState.Failed, ErrorCode = r.ErrorCode, Message = r.Message };
                    break;
                case JournalRecordTypes.Expired:
                    e = e with { State = JournalState.Expired, ErrorCode = r.ErrorCode, Message = r.Message };
                    break;
            }

            entries[r.ClientRequestId] = e;
        }

        return order.Select(id => entries[id]).ToList();
    }

    /// <summary>
    /// Whether opening the lock file failed only because another writer holds it (worth waiting for), rather than
    /// because the disk is read-only, full or failing (which waiting cannot fix).
    /// </summary>
    private static bool IsLockContention(IOException e)
    {
        if (OperatingSystem.IsWindows())
        {
            // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
            return (e.HResult & 0xFFFF) is 32 or 33;
        }

        // On Unix the runtime reports a held flock as EWOULDBLOCK (EAGAIN): 11 on Linux, 35 on macOS and the BSDs.
        return e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }

    private FileStream AcquireFileLock()
    {
        var lockPath = Path + ".lock";
        var deadline = Environment.TickCount64 + (long)LockWait.TotalMilliseconds;
        var delay = 1;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock across processes (flock on Unix, a share mode on Windows).
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException e) when (IsLockContention(e) && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 20);
            }
        }
    }
}

internal static class JournalRecordTypes
{
    public const string Intent = "intent";
    public const string Submitted = "submitted";
    public const string Completed = "completed";
    public const string File = "file";
    public const string Downloaded = "downloaded";
    public const string Failed = "failed";
    public const string Expired = "expired";
}
