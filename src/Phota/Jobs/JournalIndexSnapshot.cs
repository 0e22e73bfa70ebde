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
        try
        {
            using var input = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16);
            using var reader = new BinaryReader(input);
            if (Read(reader, input.Length, file))
            {
                return true;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or InvalidDataException)
        {
            // Unreadable, from another version, or damaged: start from the journal itself.
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

    private bool Read(BinaryReader reader, long length, SafeFileHandle file)
    {
        if (reader.ReadUInt32() != SnapshotMagic || reader.ReadInt32() != SnapshotVersion)
        {
            return false;
        }

        var head = reader.ReadBytes(Count(reader.ReadInt32(), HeadLength));
        var folded = reader.ReadInt64();
        if (folded > RandomAccess.GetLength(file) || head.Length == 0)
        {
            return false;
        }

        var current = new byte[head.Length];
        if (RandomAccess.Read(file, current, 0) != head.Length || !current.AsSpan().SequenceEqual(head))
        {
            return false;
        }

        // Room for the lines appended after this, so the first of them does not double every list.
        int Room(int count) => count + count / 8 + 1024;
        var slots = Count(reader.ReadInt32(), int.MaxValue);
        _slots.EnsureCapacity(Room(slots));
        for (var i = 0; i < slots; i++)
        {
            var slot = new Slot { FirstLine = reader.ReadInt32(), LastLine = reader.ReadInt32(), State = (JournalState)reader.ReadInt32(), UpdatedTicks = reader.ReadInt64() };
            _slots.Add(slot);
            if (IsOutstandingState(slot.State))
            {
                _outstanding.Add(i);
            }
        }

        var lines = Count(reader.ReadInt32(), int.MaxValue);
        _lines.EnsureCapacity(Room(lines));
        for (var i = 0; i < lines; i++)
        {
            var line = new LineRef { Start = reader.ReadInt64(), Length = reader.ReadInt32(), Next = reader.ReadInt32() };
            if (line.Next < -1 || line.Next >= lines || line.Start < 0 || line.Length < 0 || line.Start + line.Length >= folded)
            {
                return false;
            }

            _lines.Add(line);
        }

        foreach (var s in _slots)
        {
            if (s.FirstLine < -1 || s.FirstLine >= lines || s.LastLine < -1 || s.LastLine >= lines)
            {
                return false;
            }
        }

        foreach (var keys in new[] { _byClientRequestId, _byJobId })
        {
            var count = Count(reader.ReadInt32(), int.MaxValue);
            keys.EnsureCapacity(Room(count));
            for (var i = 0; i < count; i++)
            {
                var low = reader.ReadUInt64();
                var high = reader.ReadUInt64();
                var slot = reader.ReadInt32();
                if ((uint)slot >= (uint)_slots.Count)
                {
                    return false;
                }

                keys[new UInt128(high, low)] = slot;
            }
        }

        if (reader.ReadUInt32() != SnapshotMagic || reader.BaseStream.Position != length)
        {
            return false;
        }

        _head = head;
        _folded = folded;
        _savedLength = folded;
        return true;
    }

    private static int Count(int value, int max)
        => value >= 0 && value <= max ? value : throw new InvalidDataException("A count out of range.");
}
