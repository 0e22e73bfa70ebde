using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Phota.Models;

namespace Phota.Jobs;

/// <summary>Receives one journal line (without its line break) and the file offset it starts at.</summary>
internal delegate void LineHandler(ReadOnlySpan<byte> line, long start);

/// <summary>
/// The journal folded once per process and then kept current by reading only the bytes appended since (appends are
/// whole lines, so the folded part never changes). What a lookup needs is kept small: per job, its state, last update
/// and where its lines are in the file, under a 128-bit hash of its ids; full entries are read back from those lines
/// on demand (and kept only for outstanding jobs). A replaced file (a compaction) is noticed by its first line, which
/// a compaction makes unique, or by being shorter than what was folded; the index then starts again.
/// Not thread-safe: <see cref="JobJournal"/> serialises access.
/// </summary>
internal sealed partial class JournalIndex
{
    private const int HeadLength = 512;
    private const int ChunkLength = 64 * 1024;

    private readonly JournalKeys _byClientRequestId = new();
    private readonly JournalKeys _byJobId = new();
    private readonly List<Slot> _slots = [];
    private readonly List<LineRef> _lines = [];
    private readonly SortedSet<int> _outstanding = [];
    private readonly Dictionary<int, JournalEntry> _full = [];
    private byte[] _head = [];
    private long _folded;
    private long _savedLength;

    /// <summary>Bytes of the file folded so far (always just after a line break).</summary>
    public long FoldedLength => _folded;

    public int JobCount => _slots.Count;

    public int OutstandingCount => _outstanding.Count;

    /// <summary>Brings the index up to date with the file behind <paramref name="file"/>; returns whether it started again.</summary>
    public bool Refresh(SafeFileHandle file)
    {
        var length = RandomAccess.GetLength(file);
        var restarted = false;
        if (length < _folded || !HeadMatches(file))
        {
            Clear();
            restarted = true;
        }

        if (length > _folded)
        {
            FoldTail(file, length);
        }

        return restarted;
    }

    public void Clear()
    {
        _byClientRequestId.Clear();
        _byJobId.Clear();
        _slots.Clear();
        _lines.Clear();
        _outstanding.Clear();
        _full.Clear();
        _head = [];
        _folded = 0;
        _savedLength = 0;
    }

    /// <summary>The entry whose client request id or job id is <paramref name="id"/> (the later one if both match); null if none.</summary>
    public JournalEntry? Find(SafeFileHandle file, string id)
    {
        var key = Key(id);
        var slot = -1;
        if (_byClientRequestId.TryGetValue(key, out var byRequest))
        {
            slot = byRequest;
        }

        if (_byJobId.TryGetValue(key, out var byJob))
        {
            slot = Math.Max(slot, byJob);
        }

        if (slot < 0)
        {
            return null;
        }

        var entries = Read(file, slot);
        // More than one entry in a slot, or none matching, would mean two ids share a 128-bit hash: answer from the file.
        return entries.Count == 1 && (entries[0].ClientRequestId == id || entries[0].JobId == id)
            ? entries[0]
            : JobJournal.Fold(JobJournal.ReadRecords(file)).LastOrDefault(e => e.JobId == id || e.ClientRequestId == id);
    }

    /// <summary>Outstanding entries, oldest first.</summary>
    public IReadOnlyList<JournalEntry> GetOutstanding(SafeFileHandle file)
    {
        var result = new List<JournalEntry>(_outstanding.Count);
        foreach (var slot in _outstanding)
        {
            result.AddRange(Read(file, slot).Where(e => e.IsOutstanding));
        }

        return result;
    }

    /// <summary>Jobs whose results are gone from the server and that are finished here: saved, failed or expired before <paramref name="cutoff"/>.</summary>
    public bool IsDroppable(int slot, DateTimeOffset cutoff)
        => !JobJournal.IsOutstanding(_slots[slot].State) && _slots[slot].UpdatedTicks < cutoff.UtcTicks;

    public int CountDroppable(DateTimeOffset cutoff)
    {
        var count = 0;
        for (var i = 0; i < _slots.Count; i++)
        {
            if (IsDroppable(i, cutoff))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The file ranges (start, length including the line break) of every line of the jobs kept, in file order, adjacent lines merged.</summary>
    public List<(long Start, long Length)> KeptRanges(DateTimeOffset cutoff)
    {
        var starts = new List<int>();
        for (var i = 0; i < _slots.Count; i++)
        {
            if (IsDroppable(i, cutoff))
            {
                continue;
            }

            for (var line = _slots[i].FirstLine; line >= 0; line = _lines[line].Next)
            {
                starts.Add(line);
            }
        }

        // Line numbers are in file order.
        starts.Sort();
        var ranges = new List<(long Start, long Length)>();
        foreach (var line in starts)
        {
            var (start, length) = (_lines[line].Start, _lines[line].Length + 1L);
            if (ranges.Count > 0 && ranges[^1].Start + ranges[^1].Length == start)
            {
                ranges[^1] = (ranges[^1].Start, ranges[^1].Length + length);
            }
            else
            {
                ranges.Add((start, length));
            }
        }

        return ranges;
    }

    /// <summary>A 128-bit hash of an id: small to keep for every job, and in practice never shared by two ids.</summary>
    internal static UInt128 Key(ReadOnlySpan<char> id)
    {
        var max = Encoding.UTF8.GetMaxByteCount(id.Length);
        Span<byte> bytes = max <= 256 ? stackalloc byte[256] : new byte[max];
        return KeyOfUtf8(bytes[..Encoding.UTF8.GetBytes(id, bytes)]);
    }

    private static UInt128 KeyOfUtf8(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        return new UInt128(BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]));
    }

    private bool HeadMatches(SafeFileHandle file)
    {
        if (_folded == 0)
        {
            return true;
        }

        Span<byte> head = stackalloc byte[HeadLength];
        var read = RandomAccess.Read(file, head[.._head.Length], 0);
        return read == _head.Length && head[..read].SequenceEqual(_head);
    }

    private void FoldTail(SafeFileHandle file, long length)
        => _folded = ReadLines(file, _folded, length, includeUnterminated: false, FoldLine);

    /// <summary>
    /// Calls <paramref name="onLine"/> for each line of <c>[from, to)</c> (without its line break) with where it starts;
    /// returns where the first line not read starts (one without its line break yet, unless <paramref name="includeUnterminated"/>).
    /// </summary>
    internal static long ReadLines(SafeFileHandle file, long from, long to, bool includeUnterminated, LineHandler onLine)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkLength);
        var pending = new ArrayBufferWriter<byte>();
        var lineStart = from;
        try
        {
            for (var position = from; position < to;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(ChunkLength, to - position)), position);
                if (read <= 0)
                {
                    break;
                }

                position += read;
                var chunk = buffer.AsSpan(0, read);
                int newline;
                while ((newline = chunk.IndexOf((byte)'\n')) >= 0)
                {
                    if (pending.WrittenCount > 0)
                    {
                        pending.Write(chunk[..newline]);
                        onLine(pending.WrittenSpan, lineStart);
                        pending.ResetWrittenCount();
                    }
                    else
                    {
                        onLine(chunk[..newline], lineStart);
                    }

                    lineStart = position - chunk.Length + newline + 1;
                    chunk = chunk[(newline + 1)..];
                }

                pending.Write(chunk);
            }

            if (includeUnterminated && pending.WrittenCount > 0)
            {
                onLine(pending.WrittenSpan, lineStart);
            }

            return lineStart;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Folds one whole line (without its line break) that starts at <paramref name="start"/>; unreadable lines are skipped.</summary>
    private void FoldLine(ReadOnlySpan<byte> line, long start)
    {
        if (start == 0)
        {
            _head = line[..Math.Min(line.Length, HeadLength)].ToArray();
        }

        if (!TryScan(line, out var type, out var time, out var requestKey, out var jobKey))
        {
            return;
        }

        if (!_byClientRequestId.TryGetValue(requestKey, out var slot))
        {
            slot = _slots.Count;
            _slots.Add(new Slot { FirstLine = -1, LastLine = -1, State = JournalState.Intent });
            _byClientRequestId.Set(requestKey, slot);
        }

        var lineNumber = _lines.Count;
        _lines.Add(new LineRef { Start = start, Length = line.Length, Next = -1 });
        var s = _slots[slot];
        if (s.LastLine >= 0)
        {
            _lines[s.LastLine] = _lines[s.LastLine] with { Next = lineNumber };
        }
        else
        {
            s.FirstLine = lineNumber;
        }

        s.LastLine = lineNumber;
        s.State = JobJournal.NextState(s.State, type);
        s.UpdatedTicks = time.UtcTicks;
        _slots[slot] = s;

        if (jobKey is { } job)
        {
            _byJobId.Set(job, _byJobId.TryGetValue(job, out var earlier) ? Math.Max(earlier, slot) : slot);
        }

        _full.Remove(slot);
        if (JobJournal.IsOutstanding(s.State))
        {
            _outstanding.Add(slot);
        }
        else
        {
            _outstanding.Remove(slot);
        }
    }

    /// <summary>
    /// Reads only what the index keeps (type, time, and the ids' keys, hashed from the line's bytes without making
    /// strings); the rest of the line is checked to be JSON and skipped.
    /// </summary>
    private static bool TryScan(ReadOnlySpan<byte> line, out string type, out DateTimeOffset time, out UInt128 requestKey, out UInt128? jobKey)
    {
        type = string.Empty;
        time = default;
        requestKey = default;
        jobKey = null;
        var hasRequest = false;
        if (line.IsEmpty || line.IndexOfAnyExcept(" \t\r"u8) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = TypeOf(ref reader);
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = reader.GetDateTimeOffset();
                }
                else if (reader.ValueTextEquals("client_request_id"u8))
                {
                    reader.Read();
                    hasRequest = reader.TokenType == JsonTokenType.String && (reader.ValueIsEscaped ? reader.GetString()!.Length : reader.ValueSpan.Length) > 0;
                    requestKey = hasRequest ? KeyOf(ref reader) : default;
                }
                else if (reader.ValueTextEquals("job_id"u8))
                {
                    reader.Read();
                    jobKey = reader.TokenType == JsonTokenType.String ? KeyOf(ref reader) : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // The whole line must be one JSON object, as the full reader requires.
            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && type.Length > 0 && hasRequest;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The record type, as the shared constant for the known ones.</summary>
    private static string TypeOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return reader.GetString() ?? string.Empty;
        }

        var value = reader.ValueSpan;
        return value.SequenceEqual("file"u8) ? JournalRecordTypes.File
            : value.SequenceEqual("submitted"u8) ? JournalRecordTypes.Submitted
            : value.SequenceEqual("intent"u8) ? JournalRecordTypes.Intent
            : value.SequenceEqual("completed"u8) ? JournalRecordTypes.Completed
            : value.SequenceEqual("downloaded"u8) ? JournalRecordTypes.Downloaded
            : reader.GetString() ?? string.Empty;
    }

    /// <summary>The key of a string value: of its UTF-8 bytes as they stand in the line when nothing is escaped in it.</summary>
    private static UInt128 KeyOf(ref Utf8JsonReader reader)
        => reader.ValueIsEscaped ? Key(reader.GetString()) : KeyOfUtf8(reader.ValueSpan);

    /// <summary>The entry (normally exactly one) folded from a slot's lines, read back from the file.</summary>
    private IReadOnlyList<JournalEntry> Read(SafeFileHandle file, int slot)
    {
        if (_full.TryGetValue(slot, out var known))
        {
            return [known];
        }

        var records = new List<JournalRecord>();
        for (var line = _slots[slot].FirstLine; line >= 0; line = _lines[line].Next)
        {
            var bytes = new byte[_lines[line].Length];
            if (RandomAccess.Read(file, bytes, _lines[line].Start) != bytes.Length)
            {
                continue;
            }

            if (JobJournal.TryParse(bytes, out var record))
            {
                records.Add(record);
            }
        }

        var entries = JobJournal.Fold(records);
        if (entries.Count == 1 && entries[0].IsOutstanding)
        {
            _full[slot] = entries[0];
        }

        return entries;
    }

    private struct Slot
    {
        public int FirstLine;
        public int LastLine;
        public JournalState State;
        public long UpdatedTicks;
    }

    private readonly record struct LineRef
    {
        public long Start { get; init; }

        public int Length { get; init; }

        public int Next { get; init; }
    }
}
