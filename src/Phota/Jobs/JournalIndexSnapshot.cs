using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Phota.Jobs;

/// <summary>
/// The index saved beside the journal (<c>journal.jsonl.index</c>), so a new process starts from it and reads only
/// the journal's lines appended since, instead of the whole history. It is only a cache: it names the journal's first
/// line and how many bytes it covers, and is ignored unless the journal still starts with that line and is at least
/// that long. It is written to a temporary file and renamed into place, so it is either whole or absent.
/// </summary>
internal sealed partial class JournalIndex
{
    private const uint SnapshotMagic = 0x494A4850; // "PHJI"
    private const int SnapshotVersion = 1;

    /// <summary>Bytes folded since the index was last saved or loaded.</summary>
    public long UnsavedLength => _folded - _savedLength;

    /// <summary>Loads the saved index if it describes the start of <paramref name="file"/>; false (and empty) otherwise.</summary>
    public bool TryLoad(string snapshotPath, SafeFileHandle file)
    {
        Clear();
        byte[] data;
        try
        {
            if (!File.Exists(snapshotPath))
            {
                return false;
            }

            data = File.ReadAllBytes(snapshotPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        try
        {
            if (Read(data, file))
            {
                return true;
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException)
        {
            // A snapshot from another version, or damaged: start from the journal itself.
        }

        Clear();
        return false;
    }

    /// <summary>Saves the index beside the journal (best effort: a cache that cannot be written is simply not there).</summary>
    public void TrySave(string snapshotPath)
    {
        var temp = $"{snapshotPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Write(output);
            }

            File.Move(temp, snapshotPath, overwrite: true);
            _savedLength = _folded;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception ignored) when (ignored is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private void Write(Stream output)
    {
        var buffer = new byte[32];
        void Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
            output.Write(buffer, 0, 4);
        }

        void Long(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            output.Write(buffer, 0, 8);
        }

        void Keys(Dictionary<UInt128, int> keys)
        {
            Int(keys.Count);
            foreach (var (key, slot) in keys)
            {
                Long((long)(ulong)key);
                Long((long)(ulong)(key >> 64));
                Int(slot);
            }
        }

        Int((int)SnapshotMagic);
        Int(SnapshotVersion);
        Int(_head.Length);
        output.Write(_head);
        Long(_folded);
        Int(_slots.Count);
        foreach (var s in _slots)
        {
            Int(s.FirstLine);
            Int(s.LastLine);
            Int((int)s.State);
            Long(s.UpdatedTicks);
        }

        Int(_lines.Count);
        foreach (var l in _lines)
        {
            Long(l.Start);
            Int(l.Length);
            Int(l.Next);
        }

        Keys(_byClientRequestId);
        Keys(_byJobId);
        Int((int)SnapshotMagic);
    }

    private bool Read(byte[] data, SafeFileHandle file)
    {
        var at = 0;
        int Int()
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at, 4));
            at += 4;
            return value;
        }

        long Long()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at, 8));
            at += 8;
            return value;
        }

        void Keys(Dictionary<UInt128, int> keys)
        {
            var count = Int();
            keys.EnsureCapacity(count);
            for (var i = 0; i < count; i++)
            {
                var low = (ulong)Long();
                var high = (ulong)Long();
                var slot = Int();
                if ((uint)slot >= (uint)_slots.Count)
                {
                    throw new InvalidDataException("A key names no job.");
                }

                keys[new UInt128(high, low)] = slot;
            }
        }

        if ((uint)Int() != SnapshotMagic || Int() != SnapshotVersion)
        {
            return false;
        }

        var headLength = Int();
        var head = data.AsSpan(at, headLength).ToArray();
        at += head.Length;
        var folded = Long();
        if (folded > RandomAccess.GetLength(file) || head.Length == 0)
        {
            return false;
        }

        var current = new byte[head.Length];
        if (RandomAccess.Read(file, current, 0) != head.Length || !current.AsSpan().SequenceEqual(head))
        {
            return false;
        }

        var slots = Int();
        _slots.EnsureCapacity(slots);
        for (var i = 0; i < slots; i++)
        {
            var slot = new Slot { FirstLine = Int(), LastLine = Int(), State = (JournalState)Int(), UpdatedTicks = Long() };
            _slots.Add(slot);
            if (IsOutstandingState(slot.State))
            {
                _outstanding.Add(i);
            }
        }

        var lines = Int();
        _lines.EnsureCapacity(lines);
        for (var i = 0; i < lines; i++)
        {
            _lines.Add(new LineRef { Start = Long(), Length = Int(), Next = Int() });
        }

        Keys(_byClientRequestId);
        Keys(_byJobId);
        if ((uint)Int() != SnapshotMagic || at != data.Length)
        {
            return false;
        }

        foreach (var s in _slots)
        {
            if (s.FirstLine < -1 || s.FirstLine >= lines || s.LastLine < -1 || s.LastLine >= lines)
            {
                return false;
            }
        }

        foreach (var l in _lines)
        {
            if (l.Next < -1 || l.Next >= lines || l.Start < 0 || l.Length < 0 || l.Start + l.Length >= folded)
            {
                return false;
            }
        }

        _head = head;
        _folded = folded;
        _savedLength = folded;
        return true;
    }
}
