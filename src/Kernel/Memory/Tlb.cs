namespace HighMemConcurrency.Kernel;

/// <summary>
/// One CPU's translation cache over the machine's modelled kernel ranges (<see cref="Machine.MapKernelRange"/>):
/// virtual page → page frame, any number of disjoint windows. It is hardware, not memory: it is filled by the owning
/// CPU's page walks and emptied by local flushes, IPI handlers, or (broadcast mode) another CPU's TLB maintenance.
/// Entries are read and written with volatile operations so that native runs stay sound; under test the accesses
/// happen inside steps the scheduler ordered.
/// </summary>
public sealed class Tlb
{
    private const int Empty = 0;
    private Window[] _windows = [];

    internal Tlb(int cpu) => Cpu = cpu;

    /// <summary>The CPU owning this TLB.</summary>
    public int Cpu { get; }

    /// <summary>Number of modelled virtual pages over all windows.</summary>
    public int Pages => _windows.Sum(w => w.Entries.Length);

    /// <summary>The cached frame for <paramref name="vpn"/>, or null when there is no translation.</summary>
    public int? Lookup(long vpn)
    {
        var (w, i) = Find(vpn);
        var e = Volatile.Read(ref w.Entries[i]);
        return e == Empty ? null : e - 1;
    }

    /// <summary>Caches <paramref name="vpn"/> → <paramref name="pfn"/> (after a page walk).</summary>
    public void Fill(long vpn, int pfn)
    {
        var (w, i) = Find(vpn);
        Volatile.Write(ref w.Entries[i], pfn + 1);
    }

    /// <summary>Drops every translation in [<paramref name="startVpn"/>, <paramref name="endVpn"/>).</summary>
    public void FlushRange(long startVpn, long endVpn)
    {
        foreach (var w in _windows)
        {
            var from = Math.Max(0, startVpn - w.BaseVpn);
            var to = Math.Min(w.Entries.Length, endVpn - w.BaseVpn);
            for (var i = from; i < to; i++) Volatile.Write(ref w.Entries[i], Empty);
        }
    }

    /// <summary>The translations currently cached, as (vpn, pfn) pairs (a peek for invariant checks and reports).</summary>
    public IEnumerable<(long Vpn, int Pfn)> Entries()
    {
        foreach (var w in _windows)
            for (var i = 0; i < w.Entries.Length; i++)
            {
                var e = Volatile.Read(ref w.Entries[i]);
                if (e != Empty) yield return (w.BaseVpn + i, e - 1);
            }
    }

    /// <summary>Models [<paramref name="baseVpn"/>, +<paramref name="pages"/>) too (the machine checks the windows are disjoint).</summary>
    internal void AddWindow(long baseVpn, int pages) => _windows = [.. _windows, new Window(baseVpn, new int[pages])];

    private (Window Window, int Index) Find(long vpn)
    {
        foreach (var w in _windows)
        {
            var i = vpn - w.BaseVpn;
            if (i >= 0 && i < w.Entries.Length) return (w, (int)i);
        }
        throw new ArgumentOutOfRangeException(nameof(vpn), $"virtual page 0x{vpn:x} is outside every modelled TLB window");
    }

    private sealed record Window(long BaseVpn, int[] Entries);
}
