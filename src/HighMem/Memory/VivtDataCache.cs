namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// One CPU's virtually indexed, virtually tagged write-back data cache (the ARMv4/v5 caches of spec H5): a line per
/// virtual page (the model's line is a page), filled from the frame the address translated to when it was filled
/// and hit by every later access through that virtual address, whatever the page tables say by then — which is why a
/// VIVT kernel flushes an alias before its mapping changes. Two virtual addresses of one frame are two lines: a write
/// through one is not seen through the other until the dirty line is written back (a flush) and the other refilled.
/// Hardware, like <see cref="PhysicalMemory"/>: accessed only inside steps the scheduler ordered, on its own CPU.
/// </summary>
public sealed class VivtDataCache
{
    private readonly PhysicalMemory _memory;
    private readonly SortedDictionary<long, CacheLine> _lines = [];   // by virtual page: write-back in address order

    /// <summary>Creates an empty (invalid) cache in front of <paramref name="memory"/>.</summary>
    public VivtDataCache(PhysicalMemory memory) => _memory = memory ?? throw new ArgumentNullException(nameof(memory));

    /// <summary>The line of virtual page <paramref name="vpn"/>, or null (a miss).</summary>
    public CacheLine? Lookup(long vpn) => _lines.GetValueOrDefault(vpn);

    /// <summary>A load through virtual page <paramref name="vpn"/>, which on a miss translates to <paramref name="pfn"/>: the line's word, filled first on a miss.</summary>
    public int Load(long vpn, int pfn, int word) => Fill(vpn, pfn).Words[word];

    /// <summary>A store of <paramref name="value"/> to every word of virtual page <paramref name="vpn"/> (a memset through it): the line becomes dirty.</summary>
    public void Store(long vpn, int pfn, int value)
    {
        var line = Fill(vpn, pfn);
        Array.Fill(line.Words, value);
        line.Dirty = true;
    }

    /// <summary>
    /// Cleans and invalidates the lines of virtual pages [<paramref name="firstVpn"/>, <paramref name="endVpn"/>)
    /// (__cpuc_flush_dcache_area): dirty lines are written back to the frame they were filled from.
    /// </summary>
    public void FlushRange(long firstVpn, long endVpn)
    {
        foreach (var vpn in _lines.Keys.Where(v => v >= firstVpn && v < endVpn).ToList()) Evict(vpn);
    }

    /// <summary>flush_cache_all(): every line written back if dirty, and invalidated.</summary>
    public void FlushAll()
    {
        foreach (var vpn in _lines.Keys.ToList()) Evict(vpn);
    }

    /// <summary>The dirty lines, as (virtual page, frame), in address order: data memory does not hold yet.</summary>
    public IEnumerable<(long Vpn, int Pfn)> DirtyLines() => _lines.Where(l => l.Value.Dirty).Select(l => (l.Key, l.Value.Pfn));

    private CacheLine Fill(long vpn, int pfn)
    {
        if (_lines.TryGetValue(vpn, out var line)) return line;
        var words = new int[PhysicalPage.Words];
        for (var k = 0; k < words.Length; k++) words[k] = _memory.Read(pfn, k);
        return _lines[vpn] = new CacheLine(pfn, words);
    }

    private void Evict(long vpn)
    {
        var line = _lines[vpn];
        _lines.Remove(vpn);
        // A dirty line is always a whole-page store (Store writes every word), so one memset writes it back.
        if (line.Dirty) _memory.Write(line.Pfn, line.Words[0]);
    }
}

/// <summary>One line of a <see cref="VivtDataCache"/>: the frame it was filled from, its words, and whether it is dirty.</summary>
/// <param name="Pfn">The frame the line was filled from (and is written back to).</param>
/// <param name="Words">The line's copy of the page's words.</param>
public sealed record CacheLine(int Pfn, int[] Words)
{
    /// <summary>True once stored to: memory does not hold its data yet.</summary>
    public bool Dirty { get; set; }
}
