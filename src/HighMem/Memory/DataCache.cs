namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// One CPU's virtually indexed, write-back data cache, as the kernel's highmem code had to live with it; the model's
/// line is a page. Two kinds:
/// <list type="bullet">
/// <item>VIVT (<see cref="Colours"/> 0: the ARMv4/v5 caches of spec H5): a line per virtual page, filled from the
/// frame the address translated to when it was filled and hit by every later access through that virtual address,
/// whatever the page tables say by then — which is why a VIVT kernel flushes an alias before its mapping changes.</item>
/// <item>VIPT with aliasing (<see cref="Colours"/> n &gt; 1, xtensa and MIPS cores whose cache way is larger than a
/// page): lines are tagged by frame and indexed by the address's colour, its page number mod n, so two addresses of a
/// frame share a line only if they have the same colour.</item>
/// </list>
/// Either way a write through one alias is not seen through another that maps a different line until the dirty line
/// is written back (a flush) and the other refilled. Hardware, like <see cref="PhysicalMemory"/>: accessed only inside
/// steps the scheduler ordered, on its own CPU.
/// </summary>
public sealed class DataCache
{
    private readonly PhysicalMemory _memory;
    private readonly SortedDictionary<long, CacheLine> _lines = [];   // by key: written back in key order

    /// <summary>Creates an empty cache in front of <paramref name="memory"/>: VIVT, or VIPT with <paramref name="colours"/> colours.</summary>
    public DataCache(PhysicalMemory memory, int colours = 0)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        if (colours is < 0 or 1 || (colours & (colours - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(colours), colours, "0 (VIVT) or a power of two ≥ 2 (aliasing VIPT)");
        Colours = colours;
    }

    /// <summary>0 for a VIVT cache; the number of colours (DCACHE_N_COLORS) of an aliasing VIPT cache.</summary>
    public int Colours { get; }

    /// <summary>True for VIVT: a lookup needs no translation.</summary>
    public bool VirtuallyTagged => Colours == 0;

    /// <summary>The colour of virtual page <paramref name="vpn"/> (or of frame <paramref name="vpn"/>: the same mask).</summary>
    public int ColourOf(long vpn) => Colours == 0 ? 0 : (int)(vpn & (Colours - 1));

    /// <summary>The line of virtual page <paramref name="vpn"/> (translating to <paramref name="pfn"/>: used by VIPT only), or null.</summary>
    public CacheLine? Lookup(long vpn, int pfn = 0) => _lines.GetValueOrDefault(Key(vpn, pfn));

    /// <summary>A load through virtual page <paramref name="vpn"/>, which translates to <paramref name="pfn"/>: the line's word, filled first on a miss.</summary>
    public int Load(long vpn, int pfn, int word) => Fill(vpn, pfn).Words[word];

    /// <summary>A store of <paramref name="value"/> to every word of virtual page <paramref name="vpn"/> (a memset through it): the line becomes dirty.</summary>
    public void Store(long vpn, int pfn, int value)
    {
        var line = Fill(vpn, pfn);
        Array.Fill(line.Words, value);
        line.Dirty = true;
    }

    /// <summary>
    /// Cleans and invalidates the line of virtual page <paramref name="vpn"/>, translating to <paramref name="pfn"/>
    /// (__cpuc_flush_dcache_area of one page): a dirty line is written back to the frame it was filled from.
    /// </summary>
    public void FlushPage(long vpn, int pfn = 0)
    {
        var key = Key(vpn, pfn);
        if (_lines.ContainsKey(key)) Evict(key);
    }

    /// <summary>flush_cache_all(): every line written back if dirty, and invalidated.</summary>
    public void FlushAll()
    {
        foreach (var key in _lines.Keys.ToList()) Evict(key);
    }

    /// <summary>
    /// The dirty lines — data memory does not hold yet — as (index, frame) in key order: the index is the virtual
    /// page for VIVT and the colour for VIPT.
    /// </summary>
    public IEnumerable<(long Index, int Pfn)> DirtyLines() => _lines.Where(l => l.Value.Dirty).Select(l => (Colours == 0 ? l.Key : l.Key & (Colours - 1), l.Value.Pfn));

    private long Key(long vpn, int pfn) => Colours == 0 ? vpn : ((long)pfn << 8) | (vpn & (Colours - 1));

    private CacheLine Fill(long vpn, int pfn)
    {
        var key = Key(vpn, pfn);
        if (_lines.TryGetValue(key, out var line)) return line;
        var words = new int[PhysicalPage.Words];
        for (var k = 0; k < words.Length; k++) words[k] = _memory.Read(pfn, k);
        return _lines[key] = new CacheLine(pfn, words);
    }

    private void Evict(long key)
    {
        var line = _lines[key];
        _lines.Remove(key);
        // A dirty line is always a whole-page store (Store writes every word), so one memset writes it back.
        if (line.Dirty) _memory.Write(line.Pfn, line.Words[0]);
    }
}

/// <summary>One line of a <see cref="DataCache"/>: the frame it was filled from, its words, and whether it is dirty.</summary>
/// <param name="Pfn">The frame the line was filled from (and is written back to).</param>
/// <param name="Words">The line's copy of the page's words.</param>
public sealed record CacheLine(int Pfn, int[] Words)
{
    /// <summary>True once stored to: memory does not hold its data yet.</summary>
    public bool Dirty { get; set; }
}
