using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Phota.Errors;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>
/// The local record of every submitted job (JSON Lines, append-only), so no paid job is forgotten after Ctrl+C or a
/// crash. An intent line is written before a submit is sent, the job id as soon as the server answers. Several
/// processes may append at once: each append is one whole line written under a lock file. A line cut short by a
/// crash is skipped when reading and never glued to the next one. Never contains the API key or image data.
/// Lookups go through a per-process <see cref="JournalIndex"/> that reads only what was appended since the last one.
/// Finished jobs older than the API's result lifetime are compacted away (<see cref="Compact"/>), automatically once
/// they are a quarter of the journal, under the same lock, by writing a new file and renaming it over the old one.
/// </summary>
public sealed class JobJournal
{
    public const string PathVariable = "PHOTA_JOURNAL_PATH";

    /// <summary>How long the API keeps a finished job's results; a finished job older than this has nothing left to collect.</summary>
    public static readonly TimeSpan ResultLifetime = TimeSpan.FromHours(24);

    /// <summary>An automatic compaction runs only when it removes at least this many jobs (and a quarter of what stays).</summary>
    internal const int MinAutomaticRemoval = 200;

    /// <summary>The index is saved beside the journal once at least this many new bytes were read (and an eighth of the journal).</summary>
    private const long SnapshotMinimum = 1 << 20;

    private static readonly ConcurrentDictionary<string, SharedState> PerPath = new(StringComparer.Ordinal);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan AutomaticCheckInterval = TimeSpan.FromMinutes(1);

    private readonly SharedState _shared;
    private readonly TimeProvider _time;

    /// <param name="path">The journal file.</param>
    /// <param name="time">The clock that decides which finished jobs are past the result lifetime.</param>
    public JobJournal(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
        _shared = PerPath.GetOrAdd(OperatingSystem.IsWindows() ? Path.ToUpperInvariant() : Path, _ => new SharedState());
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

    /// <summary>Every job in the journal, oldest first (reads the whole file).</summary>
    public IReadOnlyList<JournalEntry> GetEntries() => Fold(ReadRecords());

    /// <summary>Jobs submitted (or possibly submitted) whose results have not all been saved, oldest first.</summary>
    public IReadOnlyList<JournalEntry> GetOutstanding() => Query(static (index, file, _) => index.GetOutstanding(file), string.Empty, []);

    /// <summary>The job with this job id or client request id (the later one if both match), or null.</summary>
    public JournalEntry? Find(string jobIdOrClientRequestId)
    {
        ArgumentNullException.ThrowIfNull(jobIdOrClientRequestId);
        return Query(static (index, file, id) => index.Find(file, id), jobIdOrClientRequestId, null);
    }

    /// <summary>What <see cref="Compact"/> would remove now, without changing anything.</summary>
    public JournalCompaction PreviewCompaction() => Rewrite(apply: false);

    /// <summary>
    /// Removes the jobs that are finished (saved, failed or expired) and last changed more than
    /// <see cref="ResultLifetime"/> ago; outstanding jobs and recent history stay, byte for byte. Safe while other
    /// processes append: it holds the journal's lock, writes the new file beside the old one and renames it over it.
    /// </summary>
    public JournalCompaction Compact() => Rewrite(apply: true);

    /// <summary>
    /// Appends one record as a whole line; <paramref name="durable"/> waits until it is on disk. Any failure is a
    /// <see cref="ErrorKind.JournalUnavailable"/> error (callers check it before spending money).
    /// </summary>
    internal void Append(JournalRecord record, bool durable)
    {
        var line = SerializeLine(record);
        try
        {
            lock (_shared.WriteLock)
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
        try
        {
            using var file = OpenForRead();
            return file is null ? [] : ReadRecords(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e);
        }
    }

    /// <summary>Every readable record of the file, in order (a final line without its line break included).</summary>
    internal static IReadOnlyList<JournalRecord> ReadRecords(SafeFileHandle file)
    {
        var records = new List<JournalRecord>();
        JournalIndex.ReadLines(file, 0, RandomAccess.GetLength(file), includeUnterminated: true, (line, _) =>
        {
            if (TryParse(line, out var record))
            {
                records.Add(record);
            }
        });
        return records;
    }

    /// <summary>One journal line; false for a blank line, a line cut short by a crash (or edited by hand), or a line about no job.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out JournalRecord? record)
    {
        record = null;
        if (line.IndexOfAnyExcept(" \t\r"u8) < 0)
        {
            return false;
        }

        try
        {
            record = JsonSerializer.Deserialize(line, PhotaJsonContext.Default.JournalRecord);
        }
        catch (JsonException)
        {
            return false;
        }

        return record is not null && !string.IsNullOrEmpty(record.ClientRequestId);
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

            var previous = e.State;
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
                State = NextState(e.State, r.Type),
            };

            switch (r.Type)
            {
                case JournalRecordTypes.Intent when !IsOutstanding(previous):
                    // The same client_request_id submitted again (a re-run with the caller's own key): a new attempt,
                    // outstanding until it ends, whatever became of the last one.
                    e = e with { ErrorCode = null, Message = null, Files = new Dictionary<int, string>(), CreatedAt = r.Time };
                    break;
                case JournalRecordTypes.File when r.Variation is { } v && r.File is not null:
                    e = e with { Files = new Dictionary<int, string>(e.Files) { [v] = r.File } };
                    break;
                case JournalRecordTypes.Failed or JournalRecordTypes.Expired:
                    e = e with { ErrorCode = r.ErrorCode, Message = r.Message };
                    break;
            }

            entries[r.ClientRequestId] = e;
        }

        return order.Select(id => entries[id]).ToList();
    }

    /// <summary>Whether a job in this state still has results to collect (submitted, or about to be, and not ended).</summary>
    internal static bool IsOutstanding(JournalState state) => state is JournalState.Intent or JournalState.Submitted or JournalState.Completed;

    /// <summary>A job's state after one more record: the one state machine behind both the full fold and the index.</summary>
    internal static JournalState NextState(JournalState state, string type) => type switch
    {
        JournalRecordTypes.Intent when !IsOutstanding(state) => JournalState.Intent,
        JournalRecordTypes.Submitted when state == JournalState.Intent => JournalState.Submitted,
        JournalRecordTypes.Completed when state is JournalState.Intent or JournalState.Submitted => JournalState.Completed,
        JournalRecordTypes.Downloaded => JournalState.Downloaded,
        JournalRecordTypes.Linked when state is JournalState.Intent or JournalState.Submitted or JournalState.Completed => JournalState.Linked,
        JournalRecordTypes.Failed => JournalState.Failed,
        JournalRecordTypes.Expired => JournalState.Expired,
        _ => state,
    };

    /// <summary>Answers from the index, brought up to date first; then compacts if enough has expired.</summary>
    private T Query<T>(Func<JournalIndex, SafeFileHandle, string, T> answer, string argument, T whenMissing)
    {
        T result;
        bool compact;
        try
        {
            lock (_shared.Index)
            {
                using var file = OpenForRead();
                if (file is null)
                {
                    _shared.Index.Clear();
                    return whenMissing;
                }

                Update(_shared.Index, file);
                result = answer(_shared.Index, file, argument);
                compact = IsCompactionDue();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(e);
        }

        if (compact)
        {
            try
            {
                Rewrite(apply: true);
            }
            catch (PhotaException)
            {
                // Compacting only saves space; the journal is intact, and the next check tries again.
            }
        }

        return result;
    }

    /// <summary>At most once a minute per process: whether the removable jobs are many enough to pay for a rewrite.</summary>
    private bool IsCompactionDue()
    {
        var now = _time.GetUtcNow();
        if (now.UtcTicks < _shared.NextAutomaticCheck)
        {
            return false;
        }

        _shared.NextAutomaticCheck = now.UtcTicks + AutomaticCheckInterval.Ticks;
        var index = _shared.Index;
        var removable = index.CountDroppable(now - ResultLifetime);
        // Each rewrite copies at most four times what it removes, so the cost per job stays bounded.
        return removable >= MinAutomaticRemoval && removable * 4 >= index.JobCount - removable;
    }

    private JournalCompaction Rewrite(bool apply)
    {
        var now = _time.GetUtcNow();
        var cutoff = now - ResultLifetime;
        var temp = $"{Path}.{Guid.NewGuid():N}.tmp";
        try
        {
            lock (_shared.WriteLock)
            {
                using var fileLock = apply ? AcquireFileLock() : null;
                lock (_shared.Index)
                {
                    using var file = OpenForRead();
                    if (file is null)
                    {
                        _shared.Index.Clear();
                        return new JournalCompaction { Path = Path, Cutoff = cutoff };
                    }

                    var index = _shared.Index;
                    // A compaction replaces the journal, so an index saved now would be of no use (a preview saves it).
                    Update(index, file, save: !apply);
                    var bytesBefore = RandomAccess.GetLength(file);
                    var removed = index.CountDroppable(cutoff);
                    var result = new JournalCompaction
                    {
                        Path = Path,
                        Cutoff = cutoff,
                        JobsBefore = index.JobCount,
                        JobsRemoved = removed,
                        Outstanding = index.OutstandingCount,
                        BytesBefore = bytesBefore,
                        BytesAfter = bytesBefore,
                    };
                    if (removed == 0)
                    {
                        return result;
                    }

                    var header = SerializeLine(new JournalRecord
                    {
                        Type = JournalRecordTypes.Compacted,
                        Time = now,
                        ClientRequestId = string.Empty,
                        Generation = Guid.NewGuid().ToString("N"),
                    });
                    var ranges = index.KeptRanges(cutoff);
                    result = result with { BytesAfter = header.Length + ranges.Sum(r => r.Length) };
                    if (!apply)
                    {
                        return result;
                    }

                    WriteCompacted(file, temp, header, ranges);
                    try
                    {
                        Verify(temp, result);
                    }
                    catch (IOException)
                    {
                        // The index did not describe the journal (a damaged snapshot?): read it afresh next time.
                        index.Clear();
                        TryDelete(SnapshotPath);
                        throw;
                    }

                    File.Move(temp, Path, overwrite: true);
                    index.Clear();
                    TryDelete(SnapshotPath);
                    return result with { Applied = true };
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            TryDelete(temp);
            throw new PhotaException(ErrorKind.JournalUnavailable,
                $"Cannot compact the journal {Path}: {e.Message} It was left as it was.", e);
        }
    }

    private string SnapshotPath => Path + ".index";

    /// <summary>Brings the index up to date: from the saved snapshot if this process has none yet, then the journal's new lines.</summary>
    private void Update(JournalIndex index, SafeFileHandle file, bool save = true)
    {
        if (index.FoldedLength == 0)
        {
            index.TryLoad(SnapshotPath, file);
        }

        if (index.Refresh(file) && index.FoldedLength > 0)
        {
            // The snapshot named another journal (replaced by a compaction elsewhere): it is of no use now.
            TryDelete(SnapshotPath);
        }

        // Saving costs about what folding a tenth of the journal does, so it is done when it saves that much.
        if (save && index.UnsavedLength >= Math.Max(SnapshotMinimum, index.FoldedLength / 8))
        {
            index.TrySave(SnapshotPath);
        }
    }

    /// <summary>
    /// Reads the compacted file back before it replaces the journal: it must hold exactly the jobs meant to be kept,
    /// with every outstanding one, or the journal is left alone.
    /// </summary>
    private static void Verify(string temp, JournalCompaction planned)
    {
        var check = new JournalIndex();
        using (var file = File.OpenHandle(temp, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            check.Refresh(file);
            if (check.FoldedLength != RandomAccess.GetLength(file) || check.JobCount != planned.JobsKept || check.OutstandingCount != planned.Outstanding)
            {
                throw new IOException(
                    $"The compacted journal did not read back as planned ({check.JobCount} jobs, {check.OutstandingCount} outstanding; expected {planned.JobsKept} and {planned.Outstanding}).");
            }
        }
    }

    private static void WriteCompacted(SafeFileHandle source, string temp, byte[] header, List<(long Start, long Length)> ranges)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
            output.Write(header);
            foreach (var (start, length) in ranges)
            {
                for (long done = 0; done < length;)
                {
                    var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), start + done);
                    if (read <= 0)
                    {
                        throw new IOException("The journal ended before the lines it was indexed with.");
                    }

                    output.Write(buffer, 0, read);
                    done += read;
                }
            }

            output.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: it is never read.
        }
    }

    private static byte[] SerializeLine(JournalRecord record)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, PhotaJsonContext.Default.JournalRecord);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>The journal for reading (appenders and a compaction's rename may proceed meanwhile), or null if there is none yet.</summary>
    private SafeFileHandle? OpenForRead()
    {
        try
        {
            return File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private PhotaException Unreadable(Exception e) => new(ErrorKind.JournalUnavailable, $"Cannot read the journal {Path}: {e.Message}", e);

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
    public const string Linked = "linked";
    public const string Failed = "failed";
    public const string Expired = "expired";
    public const string Compacted = "compacted";
}

/// <summary>What one process shares for one journal file: the lock its appends take and the index its lookups use.</summary>
internal sealed class SharedState
{
    public object WriteLock { get; } = new();

    public JournalIndex Index { get; } = new();

    /// <summary>When (UTC ticks) the next automatic compaction check is due.</summary>
    public long NextAutomaticCheck { get; set; }
}
