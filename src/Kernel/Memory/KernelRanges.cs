namespace HighMemConcurrency.Kernel;

/// <summary>A kernel virtual range the TLBs model, with the page tables behind it.</summary>
/// <param name="Name">What the range is (e.g. <c>pkmap</c>, <c>fixmap</c>, <c>vmalloc</c>), for messages.</param>
/// <param name="BaseVpn">Its first virtual page.</param>
/// <param name="Pages">Its length in pages.</param>
/// <param name="Walk">The page walk of the range: virtual page → page frame, or null for an empty PTE (a peek).</param>
public sealed record KernelRange(string Name, long BaseVpn, int Pages, Func<long, int?> Walk)
{
    /// <summary>True when <paramref name="vpn"/> lies in the range.</summary>
    public bool Contains(long vpn) => vpn >= BaseVpn && vpn < BaseVpn + Pages;
}

public sealed partial class Machine
{
    private KernelRange[] _ranges = [];

    /// <summary>The kernel ranges the TLBs model, in the order they were mapped.</summary>
    public IReadOnlyList<KernelRange> KernelRanges => _ranges;

    /// <summary>
    /// Adds a kernel range to every CPU's TLB and its page walk to the machine's one composite walk. Each part of
    /// the memory model (pkmap, the fixmap windows, the vmalloc arena) maps its own range, so one machine hosts them
    /// all at once. Call before tasks start; ranges must not overlap.
    /// </summary>
    public void MapKernelRange(string name, long baseVpn, int pages, Func<long, int?> walk)
    {
        ArgumentNullException.ThrowIfNull(walk);
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        var range = new KernelRange(name, baseVpn, pages, walk);
        if (_ranges.FirstOrDefault(r => r.BaseVpn < baseVpn + pages && baseVpn < r.BaseVpn + r.Pages) is { } other)
            throw new ArgumentException($"kernel range {name} [0x{baseVpn:x}, +{pages}) overlaps {other.Name}", nameof(baseVpn));
        _ranges = [.. _ranges, range];
        foreach (var cpu in Cpus) cpu.Tlb.AddWindow(baseVpn, pages);
    }

    /// <summary>
    /// The composite page-table walk the MMUs use on a TLB miss (and reports use as a peek): the walk of the range
    /// holding <paramref name="vpn"/>; null for an empty PTE or an address no range maps.
    /// </summary>
    public int? WalkPageTables(long vpn)
    {
        foreach (var r in _ranges)
            if (r.Contains(vpn)) return r.Walk(vpn);
        return null;
    }
}
