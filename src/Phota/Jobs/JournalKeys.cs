using System.Runtime.InteropServices;

namespace Phota.Jobs;

/// <summary>
/// Ids, as 128-bit keys, to job slots of the <see cref="JournalIndex"/>: a sorted table as loaded from the saved index
/// (read in one piece, searched by halving), plus the keys added since in a dictionary, which win over the table.
/// </summary>
internal sealed class JournalKeys
{
    private readonly Dictionary<UInt128, int> _added = [];
    private KeySlot[] _saved = [];

    public bool TryGetValue(UInt128 key, out int slot)
    {
        if (_added.TryGetValue(key, out slot))
        {
            return true;
        }

        var at = Search(new KeySlot((ulong)key, (ulong)(key >> 64), 0));
        slot = at >= 0 ? _saved[at].Slot : -1;
        return at >= 0;
    }

    public void Set(UInt128 key, int slot) => _added[key] = slot;

    public void Clear()
    {
        _saved = [];
        _added.Clear();
    }

    /// <summary>Writes every key as one sorted table.</summary>
    public void Write(BinaryWriter writer)
    {
        var all = new List<KeySlot>(_saved.Length + _added.Count);
        foreach (var saved in _saved)
        {
            if (!_added.ContainsKey(saved.Key))
            {
                all.Add(saved);
            }
        }

        foreach (var (key, slot) in _added)
        {
            all.Add(new KeySlot((ulong)key, (ulong)(key >> 64), slot));
        }

        all.Sort(KeySlot.Compare);
        writer.Write(all.Count);
        writer.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(all)));
    }

    /// <summary>Reads a table written by <see cref="Write"/>; false if it is not sorted or names a slot out of range.</summary>
    public bool Read(BinaryReader reader, long length, int slots)
    {
        var table = new KeySlot[JournalIndex.Count<KeySlot>(reader, length)];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(table.AsSpan()));
        for (var i = 0; i < table.Length; i++)
        {
            if ((uint)table[i].Slot >= (uint)slots || (i > 0 && KeySlot.Compare(table[i - 1], table[i]) >= 0))
            {
                return false;
            }
        }

        _saved = table;
        _added.Clear();
        return true;
    }

    private int Search(KeySlot key)
    {
        int low = 0, high = _saved.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = KeySlot.Compare(_saved[middle], key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    /// <summary>One key and its slot, laid out the same on every runtime (three 8-byte-aligned fields).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct KeySlot(ulong Low, ulong High, int Slot)
    {
        public UInt128 Key => new(High, Low);

        public static int Compare(KeySlot a, KeySlot b)
        {
            var high = a.High.CompareTo(b.High);
            return high != 0 ? high : a.Low.CompareTo(b.Low);
        }
    }
}
