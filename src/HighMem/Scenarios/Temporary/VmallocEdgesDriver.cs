using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Vmalloc;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// The driver of <c>vmalloc-edges</c>: one pass takes an empty arena of <see cref="VmallocEdgesScenario.ArenaPages"/>
/// pages to its edges and back to empty. It is the arena's only allocator, so first fit places each area at the same
/// address in every interleaving; the comments give each area's pages counted from VMALLOC_START, [first, end) with
/// the trailing guard page. Every request is handled whatever it returns, as a kernel caller would: a mapping is read
/// through and released later, a NULL is a failed probe or -ENOMEM (a vmap caller frees the page it brought).
/// </summary>
/// <param name="world">The run's world.</param>
/// <param name="vm">The vmalloc area.</param>
/// <param name="devicePfn">The first frame of the device the driver ioremaps (in the PCI hole above RAM).</param>
/// <param name="probe">The stress probe (null under test).</param>
internal sealed class VmallocEdgesDriver(HighMemModel world, VmallocArea vm, long devicePfn, RunProbe? probe)
{
    private readonly PageAllocator _pool = vm.Pages;
    private int _owner;

    /// <summary>One pass of the plan (pass parity picks the owner tags, so a stale translation left by the last pass reads another tag).</summary>
    public void Pass(int pass)
    {
        _owner = pass % 2 * 16;   // a pass makes 11 requests
        var a = Vmalloc(1);                     // [0,2): the list is empty, it fits after the scan
        var b = Vmap();                         // [2,4)
        var regs = Ioremap(0, 4);               // 16 KiB aligns to 32 KiB: [8,13); b ends below 8, so the scan passes it whole
        var c = Vmalloc(2);                     // [4,7): first fit in the hole between b and regs
        Release(Ioremap(4, 2));                 // 8 KiB aligns to 16 KiB: free are page 7 and [13,16), neither at a 4-page boundary — refused in the scan
        var d = Vmalloc(2);                     // [13,16): ends exactly at the arena's end
        Release(Ioremap(6, 1));                 // 4 KiB aligns to 8 KiB: d straddles page 14 — refused after the scan
        Release(Vmalloc(1));                    // page 7 alone cannot hold a page and its guard — refused
        Release(Vmap());                        // the same for vmap; its caller frees the page it brought
        Release(a);                             // vfree: [0,2) free
        Release(regs);                          // iounmap: [7,13) free
        Release(Ioremap(8, 2));                 // [8,11): first fit across [0,2) (too small) and page 7 (unaligned)
        var page = Unmap(b);                    // vunmap: [0,4) free; the page stays the caller's
        Release(Vmalloc(3));                    // fits [0,4) exactly, but the pool holds 2 pages: vmalloc gives the area back
        if (page is { } pfn) _pool.FreePage(pfn);
        Release(c);
        Release(d);
    }

    /// <summary>vmalloc(<paramref name="pages"/> pages), read through; null (-ENOMEM) when it is refused.</summary>
    private Mapping? Vmalloc(int pages)
    {
        var owner = ++_owner;
        if (VmallocEdgesScenario.Timed(probe, () => vm.Vmalloc(pages, owner)) is not { } area) return Refused($"vmalloc({pages} page{(pages == 1 ? "" : "s")})", "-ENOMEM");
        for (var i = 0; i < pages; i++) Read(area.Addr, i, area.Pages[i], PageContent.Tag(owner, i), $"vmalloc owner {owner}");
        return new Mapping(VmFlags.VM_ALLOC, area.Addr, null);
    }

    /// <summary>vmap of one page the caller allocated and filled, read through; null when either is refused.</summary>
    private Mapping? Vmap()
    {
        var owner = ++_owner;
        if (_pool.AllocPage() is not { } pfn) return Refused("alloc_page", "no page to vmap");
        world.Memory.Write(pfn, PageContent.Tag(owner, 0));
        if (VmallocEdgesScenario.Timed(probe, () => vm.Vmap([pfn], owner)) is not { } area)
        {
            _pool.FreePage(pfn);
            return Refused("vmap(1 page)", "the caller frees its page");
        }
        Read(area.Addr, 0, pfn, PageContent.Tag(owner, 0), $"vmap owner {owner}");
        return new Mapping(VmFlags.VM_MAP, area.Addr, pfn);
    }

    /// <summary>ioremap of the device's pages [<paramref name="first"/>, +<paramref name="pages"/>), read through; null when refused (the probe fails).</summary>
    private Mapping? Ioremap(int first, int pages)
    {
        var owner = ++_owner;
        var pfn = devicePfn + first;
        var size = (uint)pages * X86Layout.PageSize;
        if (VmallocEdgesScenario.Timed(probe, () => vm.Ioremap(pfn << X86Layout.PageShift, size, owner)) is not { } addr)
            return Refused($"ioremap({pages * 4} KiB)", "the probe fails");
        for (var i = 0; i < pages; i++) Read(addr, i, (int)pfn + i, PageContent.Of((int)pfn + i), $"ioremap owner {owner}");
        return new Mapping(VmFlags.VM_IOREMAP, addr, null);
    }

    /// <summary>Releases a mapping with its own unmap (vfree, vunmap and then __free_page, iounmap); nothing for a refused one.</summary>
    private void Release(Mapping? mapping)
    {
        if (Unmap(mapping) is { } pfn) _pool.FreePage(pfn);
    }

    /// <summary>Unmaps without freeing a vmap caller's page, which it returns.</summary>
    private int? Unmap(Mapping? mapping)
    {
        switch (mapping?.Kind)
        {
            case VmFlags.VM_ALLOC:
                vm.Vfree(mapping.Addr);
                return null;
            case VmFlags.VM_MAP:
                vm.Vunmap(mapping.Addr);
                return mapping.CallerPage;
            case VmFlags.VM_IOREMAP:
                vm.Iounmap(mapping.Addr);
                return null;
            default:
                return null;
        }
    }

    private void Read(uint addr, int page, int pfn, int expected, string who) =>
        world.Oracle.ReadExpect(Machine.CurrentCpuOrThrow, addr + (uint)page * X86Layout.PageSize, pfn, expected, who);

    // The caller's side of a refusal, named in the interleaving.
    private static Mapping? Refused(string call, string handling)
    {
        if (Sim.IsControlled) Sim.Note($"driver: {call} = NULL: {handling}");
        return null;
    }

    /// <summary>A mapping the driver holds: how it was made, its address, and the page a vmap caller brought.</summary>
    private sealed record Mapping(VmFlags Kind, uint Addr, int? CallerPage);
}
