using SpinLock = HighMemConcurrency.Kernel.SpinLock;
using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Pkmap;

/// <summary>One page_address_map: the entry for slot <paramref name="Slot"/> (page_address_maps[slot], ≥3.8 design).</summary>
/// <param name="Page">The mapped page.</param>
/// <param name="Virtual">Its pkmap address.</param>
/// <param name="Slot">PKMAP_NR(Virtual): which page_address_maps[] element this is.</param>
public sealed record PageAddressMap(PhysicalPage Page, uint Virtual, int Slot);

/// <summary>
/// page_address_htable (HASHED_PAGE_VIRTUAL): buckets of page→virtual entries, each with its own IRQ-safe lock that
/// only keeps the list intact. An address read without kmap_lock and without a reference on the slot is advisory
/// (spec §1.10): the slot can be flushed and recycled right after.
/// </summary>
public sealed class PageAddressTable
{
    private readonly Bucket[] _buckets;
    private readonly AddressLayout _layout;

    /// <summary>Creates <paramref name="buckets"/> buckets (1 &lt;&lt; PA_HASH_ORDER = 128 in the kernel; a few in tests).</summary>
    public PageAddressTable(Machine machine, AddressLayout layout, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _buckets = Enumerable.Range(0, buckets).Select(b => new Bucket(machine, b)).ToArray();
    }

    /// <summary>Number of buckets.</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>page_address(): the page's pkmap address, or 0 when it has none.</summary>
    public uint PageAddress(PhysicalPage page)
    {
        var b = BucketOf(page);
        var flags = b.Lock.LockIrqSave();
        var entry = b.List.Read().FirstOrDefault(m => m.Page == page);
        b.Lock.UnlockIrqRestore(flags);
        return entry?.Virtual ?? 0;
    }

    /// <summary>
    /// set_page_address(): adds the entry (page, <paramref name="virtualAddress"/>), or removes the page's entry when
    /// it is 0. Callers hold kmap_lock (that is what makes the ≥3.8 design without a pool lock safe).
    /// </summary>
    public void SetPageAddress(PhysicalPage page, uint virtualAddress)
    {
        if (!page.IsHighMem) throw new KernelBugException($"kernel BUG at set_page_address: {page} is not a highmem page");
        var b = BucketOf(page);
        var flags = b.Lock.LockIrqSave();
        var list = b.List.Read();
        if (virtualAddress != 0)
        {
            b.List.Write(list.Add(new PageAddressMap(page, virtualAddress, _layout.PkmapNr(virtualAddress))));
        }
        else
        {
            var entry = list.FirstOrDefault(m => m.Page == page);   // mutation-report: equivalent[Linq]: set_page_address(page, NULL) is only called for a page flush_all_zero_pkmaps found mapped, so its entry is always there
            if (entry is not null) b.List.Write(list.Remove(entry));
        }
        b.Lock.UnlockIrqRestore(flags);
        if (Sim.IsControlled) Sim.Note($"page_address({page}) := {(virtualAddress == 0 ? "NULL" : $"0x{virtualAddress:x}")}");
    }

    /// <summary>Every entry of every bucket (a peek, for invariant checks).</summary>
    public IEnumerable<PageAddressMap> Entries() => _buckets.SelectMany(b => b.List.Peek);

    /// <summary>The page's entries (normally zero or one; a peek).</summary>
    public IEnumerable<PageAddressMap> EntriesOf(PhysicalPage page) => BucketOf(page).List.Peek.Where(m => m.Page == page);

    /// <summary>The bucket <paramref name="page"/> hashes to (multiplicative hashing of the pfn, as hash_ptr spreads pages).</summary>
    public int BucketIndex(PhysicalPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return (int)((uint)(page.Pfn * 0x9E3779B1u) % (uint)_buckets.Length);   // mutation-report: equivalent[Arithmetic]: any bucket is correct (lookups hash the same way); only the spread differs
    }

    private Bucket BucketOf(PhysicalPage page) => _buckets[BucketIndex(page)];

    private sealed class Bucket(Machine machine, int index)
    {
        public SpinLock Lock { get; } = new(machine, $"page_address_htable[{index}].lock");
        public SimVar<ImmutableList<PageAddressMap>> List { get; } = new(ImmutableList<PageAddressMap>.Empty, $"page_address_htable[{index}]");
    }
}
