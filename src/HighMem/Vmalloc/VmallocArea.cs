using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.VmallocVariants;

namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>
/// The classic vmalloc API over <see cref="VmList"/> (spec §3.1): vmalloc, vmap, ioremap, vfree, vunmap, iounmap,
/// and vread, the locked reader. Freeing follows the classic order: unmap, global TLB flush, unlink, then free the
/// pages (the <c>vfree-pages-before-flush</c> variant frees first).
/// </summary>
public sealed class VmallocArea
{
    private readonly KernelPageTables _tables;
    private readonly PhysicalMemory _memory;
    private readonly MemoryOracle _oracle;

    /// <summary>Creates the area over a world's page tables and memory.</summary>
    public VmallocArea(VmallocConfig config, Machine machine, KernelPageTables tables, PhysicalMemory memory, MemoryOracle oracle, PageAllocator pages)
    {
        ArgumentNullException.ThrowIfNull(config);
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _oracle = oracle ?? throw new ArgumentNullException(nameof(oracle));
        Pages = pages ?? throw new ArgumentNullException(nameof(pages));
        List = new VmList(config, machine, tables);
    }

    /// <summary>vmlist.</summary>
    public VmList List { get; }

    /// <summary>The page allocator vmalloc draws from.</summary>
    public PageAllocator Pages { get; }

    /// <summary>
    /// vmalloc(n pages): reserve an area, allocate its pages (which the owner fills with its tag), map them and
    /// publish. Returns the area (vmalloc's return value is its <see cref="VmStruct.Addr"/>), or null when space or
    /// pages run out.
    /// </summary>
    public VmStruct? Vmalloc(int pages, int owner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        if (SizeOf(pages) is not { } size) return null;
        var area = List.GetVmArea(size, VmFlags.VM_ALLOC, owner);
        if (area is null) return null;
        var frames = ImmutableArray.CreateBuilder<int>(pages);
        for (var i = 0; i < pages; i++)
        {
            if (Pages.AllocPage() is not { } pfn)
            {
                foreach (var f in frames) Pages.FreePage(f);
                List.RemoveVmArea(area.Addr);
                return null;
            }
            if (Sim.IsControlled) Sim.SchedulingPoint($"owner {owner} fills pfn {pfn}");
            _memory.Write(pfn, PageContent.Tag(owner, i));
            frames.Add(pfn);
        }
        return MapAndPublish(area with { Pages = frames.MoveToImmutable() });
    }

    /// <summary>vmap(pages, VM_MAP): maps caller-owned frames contiguously; the area, or null when the arena is full.</summary>
    public VmStruct? Vmap(ImmutableArray<int> pages, int owner)
    {
        var area = SizeOf(pages.Length) is { } size ? List.GetVmArea(size, VmFlags.VM_MAP, owner) : null;
        return area is null ? null : MapAndPublish(area with { Pages = pages });
    }

    /// <summary>ioremap(phys, size): maps device frames, aligned as VM_IOREMAP requires; null when the arena is full.</summary>
    public uint? Ioremap(long physAddr, uint size, int owner)
    {
        var area = List.GetVmArea(size, VmFlags.VM_IOREMAP, owner, physAddr);
        if (area is null) return null;
        for (var p = 0; p < area.MappedPages; p++)
        {
            // remap_area_pte (i386): an existing PTE where the new mapping goes is a BUG.
            var va = area.Addr + (uint)p * X86Layout.PageSize;
            if (_tables.Pte(va) is { } old)
                throw new KernelBugException($"kernel BUG at remap_area_pte: page already exists: the vmalloc PTE of 0x{va:x8} maps pfn 0x{old:x}");
            // Stryker disable once Bitwise : physAddr is a physical address, a non-negative long, so >> and >>> agree
            _tables.SetPteAt(va, (int)(physAddr >> X86Layout.PageShift) + p);
        }
        return area.Addr;
    }

    /// <summary>The byte size of <paramref name="pages"/> pages; null past the 32-bit address space (no area can hold it).</summary>
    // Stryker disable once Equality : pages * PageSize is a page multiple and uint.MaxValue is not, so < and <= agree
    private static uint? SizeOf(long pages) => pages * X86Layout.PageSize <= uint.MaxValue ? (uint)(pages * X86Layout.PageSize) : null;   // mutation-report: misuse[Conditional (true)]: only a caller asking for 4 GiB or more (more than the address space) is refused here

    /// <summary>vfree(addr): unmap, flush, unlink and free the pages.</summary>
    public void Vfree(uint addr) => Vunmap(addr, freePages: true, "vfree");

    /// <summary>vunmap(addr): unmap, flush and unlink; the pages stay the caller's.</summary>
    public void Vunmap(uint addr) => Vunmap(addr, freePages: false, "vunmap");

    /// <summary>iounmap(addr).</summary>
    // Stryker disable once Boolean : an ioremap area has no pages (Ioremap never publishes any), so freeing them would free nothing
    public void Iounmap(uint addr) => Vunmap(addr, freePages: false, "iounmap");

    /// <summary>
    /// vread: walks vmlist under vmlist_lock and reads every published VM_ALLOC/VM_MAP page through its vmalloc
    /// address on the caller's CPU, checking each holds its owner's tag (vmalloc and vmap owners fill their pages with it).
    /// </summary>
    public void Vread(string who)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        List.ForEachLocked(area =>
        {
            // Stryker disable once Statement : Ioremap never publishes pages, so without the return the loop below runs zero times
            if (area.Flags.HasFlag(VmFlags.VM_IOREMAP)) return;   // device memory is not read through vread
            for (var i = 0; i < area.NrPages; i++)
            {
                _oracle.ReadExpect(cpu, area.Addr + (uint)i * X86Layout.PageSize, area.Pages[i], PageContent.Tag(area.Owner, i), who);
                cpu.Machine.Counters.Add("vread.pages");   // a page read through its vmalloc mapping by another CPU's walk
            }
        });
    }

    private VmStruct MapAndPublish(VmStruct area)
    {
        for (var p = 0; p < area.NrPages; p++)
        {
            // map_area_pte: WARN_ON(!pte_none(*pte)) — a PTE left by an earlier unmap, or another area's.
            var va = area.Addr + (uint)p * X86Layout.PageSize;
            if (_tables.Pte(va) is { } old)
                KernelWarning.WarnOn(true, $"map_area_pte: WARN_ON(!pte_none(*pte)): the vmalloc PTE of 0x{va:x8} already maps pfn 0x{old:x}");
            _tables.SetPteAt(va, area.Pages[p]);
        }
        List.Publish(area);
        return area;
    }

    // __vunmap(addr, free_pages).
    private void Vunmap(uint addr, bool freePages, string function)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        cpu.Machine.Counters.Add(function);   // vfree, vunmap or iounmap: which unmap path ran
        if (cpu.InInterruptOrBhDisabled) throw new KernelBugException($"kernel BUG at {function}: BUG_ON(in_interrupt())");
        if (KernelWarning.WarnOn((addr & ~X86Layout.PageMask) != 0, $"Trying to {function}() bad address (0x{addr:x8})")) return;
        VmStruct? area;
        if (freePages && List.Config.Variant == VfreePagesBeforeFlush)
        {
            area = List.Find(addr);   // V7: the pages go back while the area is still mapped and listed
            if (area is not null) FreeAll(area);
            List.RemoveVmArea(addr);
        }
        else
        {
            area = List.RemoveVmArea(addr);
            if (area is not null && freePages) FreeAll(area);
        }
        KernelWarning.WarnOn(area is null, $"Trying to {function}() nonexistent vm area (0x{addr:x8})");
    }

    private void FreeAll(VmStruct area)
    {
        foreach (var pfn in area.Pages) Pages.FreePage(pfn);
    }
}
