using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private const int SnapshotVersion = 2;

    /// <summary>Bytes folded since the index was last saved or loaded.</summary>
    public long UnsavedLength => _folded - _savedLength;

    /// <summary>Loads the saved index if it describes the start of <paramref name="file"/>; false (and empty) otherwise.</summary>
    public bool TryLoad(string snapshotPath, SafeFileHandle file)
    {
        Clear();
        if (!BitConverter.IsLittleEndian)
        {
            return false;
        }

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
        if (!BitConverter.IsLittleEndian)
        {
            // The tables are saved as they lie in memory, which only little-endian machines read back.
            return;
        }

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
        using var writer = new BinaryWriter(output);
        writer.Write(SnapshotMagic);
        writer.Write(SnapshotVersion);
        writer.Write(_head.Length);
        writer.Write(_head);
        writer.Write(_folded);
        // The job and line tables are written as they lie in memory (read back the same way: fast for large journals).
        writer.Write(_slots.Count);
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_slots)));
        writer.Write(_lines.Count);
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_lines)));
        _byClientRequestId.Write(writer);
        _byJobId.Write(writer);
        writer.Write(SnapshotMagic);
    }

    private bool Read(BinaryReader reader, long length, SafeFileHandle file)
    {
        if (reader.ReadUInt32() != SnapshotMagic || reader.ReadInt32() != SnapshotVersion)
        {
            return false;
        }

        var headLength = reader.ReadInt32();
        var head = reader.ReadBytes(headLength is >= 0 and <= HeadLength ? headLength : throw new InvalidDataException("A head out of range."));
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
        var slots = Count<Slot>(reader, length);
        _slots.EnsureCapacity(Room(slots));
        CollectionsMarshal.SetCount(_slots, slots);
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_slots)));
        var lines = Count<LineRef>(reader, length);
        _lines.EnsureCapacity(Room(lines));
        CollectionsMarshal.SetCount(_lines, lines);
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_lines)));
        foreach (var line in _lines)
        {
            if (line.Next < -1 || line.Next >= lines || line.Start < 0 || line.Length < 0 || line.Start + line.Length >= folded)
            {
                return false;
            }
        }

        for (var i = 0; i < _slots.Count; i++)
        {
            if ((uint)_slots[i].State > (uint)JournalState.Expired)
            {
                return false;
            }

            if (JobJournal.IsOutstanding(_slots[i].State))
            {
                _outstanding.Add(i);
            }
        }

        foreach (var s in _slots)
        {
            if (s.FirstLine < -1 || s.FirstLine >= lines || s.LastLine < -1 || s.LastLine >= lines)
            {
                return false;
            }
        }

        if (!_byClientRequestId.Read(reader, length, slots) || !_byJobId.Read(reader, length, slots))
        {
            return false;
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

    /// <summary>A table's length, which must fit in what is left of the file.</summary>
    internal static int Count<T>(BinaryReader reader, long length)
        where T : unmanaged
    {
        var count = reader.ReadInt32();
        return count >= 0 && count <= (length - reader.BaseStream.Position) / Unsafe.SizeOf<T>()
            ? count
            : throw new InvalidDataException("A table longer than the file.");
    }
}
