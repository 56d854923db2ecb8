using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// The one checked read: an access through a kernel virtual address as the CPU does it (direct map, or TLB then page
/// walk), compared with what the accessor expects to find. A miss on an empty PTE is an oops; content from another
/// frame, or poison, is corruption. Both are reported as assertion failures naming the accessor, CPU, address and
/// frames, and for a wrong frame whether a stale TLB entry or a reused PTE led there.
/// </summary>
public sealed class MemoryOracle
{
    /// <summary>
    /// Creates the oracle over <paramref name="memory"/> laid out as <paramref name="layout"/> says; with
    /// <paramref name="cacheCpus"/> &gt; 0, each of that many CPUs reads and writes kernel virtual addresses outside
    /// the direct map through its own data cache (<see cref="DataCache"/>): VIVT, or VIPT with
    /// <paramref name="colours"/> aliasing colours.
    /// </summary>
    public MemoryOracle(AddressLayout layout, PhysicalMemory memory, int cacheCpus = 0, int colours = 0)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
        ArgumentOutOfRangeException.ThrowIfNegative(cacheCpus);
        Caches = Enumerable.Range(0, cacheCpus).Select(_ => new DataCache(memory, colours)).ToArray();
    }

    /// <summary>The CPUs' data caches, by CPU id (empty: the caches are not modelled, as on x86 or VIPT ARM without aliases).</summary>
    public IReadOnlyList<DataCache> Caches { get; }

    /// <summary>The address layout.</summary>
    public AddressLayout Layout { get; }

    /// <summary>The physical memory behind the addresses.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>
    /// Reads the word at <paramref name="va"/> on <paramref name="cpu"/> (one scheduling point) and checks that it
    /// equals <paramref name="expected"/>, the content of frame <paramref name="expectedPfn"/> as its owner knows it.
    /// </summary>
    public void ReadExpect(Cpu cpu, uint va, int expectedPfn, int expected, string who)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (Sim.IsControlled) Sim.SchedulingPoint($"{who} reads 0x{va:x8} on CPU{cpu.Id}");
        Check(cpu, va, expectedPfn, expected, who);
    }

    /// <summary>
    /// The load itself, inside a step the caller already scheduled: translates <paramref name="va"/>, reads word
    /// <paramref name="word"/> of the frame it reaches and fails unless it is <paramref name="expected"/>. Returns the word.
    /// </summary>
    public int Check(Cpu cpu, uint va, int expectedPfn, int expected, string who, int word = 0)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var direct = Layout.IsDirectMapped(va);
        var vpn = X86Layout.Vpn(va);
        var cache = direct ? null : CacheOf(cpu);
        int actual, value;
        var cachedHit = false;
        if (cache is { VirtuallyTagged: true } && cache.Lookup(vpn) is { } line)
        {
            // A VIVT hit needs no translation: the line answers for the virtual address whatever it maps now.
            (actual, value) = (line.Pfn, line.Words[word]);
            if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} reads 0x{va:x8} → its VIVT cache line (filled from pfn {actual})");
        }
        else
        {
            cachedHit = !direct && cpu.Tlb.Lookup(vpn) is not null;
            if (Translate(cpu, va) is not { } pfn)
            {
                Sim.Fail(BugKind.AssertionFailure,
                    $"oops: unable to handle kernel paging request at 0x{va:x8}: {who} on CPU{cpu.Id} expected pfn {expectedPfn} there, the PTE is empty");
                return 0;
            }
            actual = pfn;
            if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} reads 0x{va:x8} → pfn {actual}{(direct ? " (direct map)" : cachedHit ? " (TLB hit)" : " (page walk)")}");
            value = cache?.Load(vpn, actual, word) ?? Memory.Read(actual, word);
        }
        if (value == expected) return value;
        var what = actual != expectedPfn ? $"pfn {actual}'s content (another page): {HowItGotThere(cpu, vpn, cachedHit)}"
            : value == PageContent.Poison ? "poison (the page was freed)" : $"0x{value:x8}{DirtyElsewhere(actual, vpn)}";
        Sim.Fail(BugKind.AssertionFailure,
            $"corruption: {who} on CPU{cpu.Id} read 0x{va:x8} expecting pfn {expectedPfn} (0x{expected:x8}) but found {what}");
        return value;
    }

    /// <summary>
    /// A store of <paramref name="value"/> to every word of the page at <paramref name="va"/> (a memset through it) on
    /// <paramref name="cpu"/> (one scheduling point): into the CPU's data cache where there is one, else to memory.
    /// An empty PTE is an oops.
    /// </summary>
    public void Write(Cpu cpu, uint va, int value, string who)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (Sim.IsControlled) Sim.SchedulingPoint($"{who} writes 0x{va:x8} on CPU{cpu.Id}");
        if (Translate(cpu, va) is not { } pfn)
        {
            Sim.Fail(BugKind.AssertionFailure, $"oops: unable to handle kernel paging request at 0x{va:x8}: {who} on CPU{cpu.Id} writes there, the PTE is empty");
            return;
        }
        if (Sim.IsControlled) Sim.Note($"{who} writes 0x{value:x8} to 0x{va:x8} (pfn {pfn})");
        if (!Layout.IsDirectMapped(va) && CacheOf(cpu) is { } cache) cache.Store(X86Layout.Vpn(va), pfn, value);
        else Memory.Write(pfn, value);
    }

    /// <summary>flush_cache_all() on <paramref name="cpu"/>: its VIVT cache written back and invalidated (nothing without one).</summary>
    public void FlushCacheAll(Cpu cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        CacheOf(cpu)?.FlushAll();
    }

    /// <summary>
    /// __cpuc_flush_dcache_area(va, PAGE_SIZE) on <paramref name="cpu"/>: the line <paramref name="va"/> uses (on a
    /// VIPT cache, of the frame it maps now) written back and invalidated.
    /// </summary>
    public void FlushDcacheArea(Cpu cpu, uint va)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (CacheOf(cpu) is not { } cache) return;
        var vpn = X86Layout.Vpn(va);
        if (cache.VirtuallyTagged) cache.FlushPage(vpn);
        else if (cpu.Machine.WalkPageTables(vpn) is { } pfn) cache.FlushPage(vpn, pfn);
    }

    /// <summary>
    /// flush_dcache_page(page) on an aliasing VIPT cache, as far as the kernel's own mappings go: the frame's line of
    /// its own colour — where the kernel maps it (the direct map always; a highmem kmap since 15de36a4c3cf) — written
    /// back and invalidated. Nothing without such a cache.
    /// </summary>
    public void FlushDcachePage(Cpu cpu, int pfn)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (CacheOf(cpu) is { VirtuallyTagged: false } cache) cache.FlushPage(pfn, pfn);   // the frame's colour indexes the line
    }

    /// <summary>
    /// A device reads frame <paramref name="pfn"/> from memory (DMA: no CPU cache sees it; one scheduling point) and
    /// fails unless it finds <paramref name="expected"/>: data the CPU wrote but did not write back is corruption.
    /// </summary>
    public void DeviceRead(int pfn, int expected, string who)
    {
        if (Sim.IsControlled) Sim.SchedulingPoint($"{who} reads pfn {pfn} from memory (DMA)");
        var value = Memory.Read(pfn);
        if (value != expected)
            Sim.Fail(BugKind.AssertionFailure,
                $"corruption: {who} reads pfn {pfn} from memory expecting 0x{expected:x8} but found 0x{value:x8}{DirtyElsewhere(pfn, -1)}");
    }

    private DataCache? CacheOf(Cpu cpu) => cpu.Id < Caches.Count ? Caches[cpu.Id] : null;

    // Why a frame read back stale: a dirty line of another alias, in some CPU's cache, holds its newer data.
    private string DirtyElsewhere(int pfn, long vpn)
    {
        for (var c = 0; c < Caches.Count; c++)
        {
            var cache = Caches[c];
            foreach (var (index, linePfn) in cache.DirtyLines())
            {
                if (linePfn != pfn) continue;
                if (cache.VirtuallyTagged && index != vpn)
                    return $", memory's old content: CPU{c}'s VIVT cache holds a dirty line of pfn {pfn} at 0x{(uint)(index << X86Layout.PageShift):x8}, another alias, not yet written back";
                if (!cache.VirtuallyTagged && (vpn < 0 || index != cache.ColourOf(vpn)))
                    return $", memory's old content: CPU{c}'s cache holds a dirty line of pfn {pfn} in colour {index} (the frame's own colour is {cache.ColourOf(pfn)}), not yet written back";
            }
        }
        return "";
    }

    /// <summary>Translates <paramref name="va"/> as <paramref name="cpu"/>'s MMU would (filling its TLB on a walk); null means the access faults.</summary>
    public int? Translate(Cpu cpu, uint va)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        return Layout.IsDirectMapped(va) ? Layout.DirectMapPfn(va) : cpu.Translate(X86Layout.Vpn(va));
    }

    private static string HowItGotThere(Cpu cpu, long vpn, bool cachedHit)
    {
        if (!cachedHit) return "the PTE was reused for it";
        var pte = cpu.Machine.WalkPageTables(vpn) is { } now ? $"maps pfn {now}" : "is empty";
        return $"a stale TLB entry of CPU{cpu.Id} still maps it (the PTE now {pte})";
    }
}
