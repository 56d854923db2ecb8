namespace HighMemConcurrency.Kernel;

/// <summary>
/// One CPU's translation cache over the machine's modelled virtual window: virtual page → page frame. It is
/// hardware, not memory: it is filled by the owning CPU's page walks and emptied by local flushes, IPI handlers, or
/// (broadcast mode) another CPU's TLB maintenance. Entries are read and written with volatile/interlocked operations
/// so that native runs stay sound; under test the accesses happen inside steps the scheduler ordered.
/// </summary>
public sealed class Tlb
{
    private const int Empty = 0;
    private readonly int[] _entries;   // page frame + 1; 0 = no translation

    internal Tlb(int cpu, long baseVpn, int pages)
    {
        Cpu = cpu;
        BaseVpn = baseVpn;
        _entries = new int[pages];
    }

    /// <summary>The CPU owning this TLB.</summary>
    public int Cpu { get; }

    /// <summary>First modelled virtual page number.</summary>
    public long BaseVpn { get; }

    /// <summary>Number of modelled virtual pages.</summary>
    public int Pages => _entries.Length;

    /// <summary>The cached frame for <paramref name="vpn"/>, or null when there is no translation.</summary>
    public int? Lookup(long vpn)
    {
        var e = Volatile.Read(ref _entries[Index(vpn)]);
        return e == Empty ? null : e - 1;
    }

    /// <summary>Caches <paramref name="vpn"/> → <paramref name="pfn"/> (after a page walk).</summary>
    public void Fill(long vpn, int pfn) => Volatile.Write(ref _entries[Index(vpn)], pfn + 1);

    /// <summary>Drops every translation in [<paramref name="startVpn"/>, <paramref name="endVpn"/>).</summary>
    public void FlushRange(long startVpn, long endVpn)
    {
        var from = Math.Max(0, startVpn - BaseVpn);
        var to = Math.Min(_entries.Length, endVpn - BaseVpn);
        for (var i = from; i < to; i++) Volatile.Write(ref _entries[i], Empty);
    }

    /// <summary>The translations currently cached, as (vpn, pfn) pairs (a peek for invariant checks and reports).</summary>
    public IEnumerable<(long Vpn, int Pfn)> Entries()
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            var e = Volatile.Read(ref _entries[i]);
            if (e != Empty) yield return (BaseVpn + i, e - 1);
        }
    }

    private int Index(long vpn)
    {
        var i = vpn - BaseVpn;
        if (i < 0 || i >= _entries.Length)
            throw new ArgumentOutOfRangeException(nameof(vpn), $"virtual page 0x{vpn:x} is outside the modelled TLB window");
        return (int)i;
    }
}
