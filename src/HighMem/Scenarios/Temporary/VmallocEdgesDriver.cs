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
        _owner = pass % 2 * 16;   // a pass makes 13 requests
        var a = Vmalloc(1, at: 0);                     // [0,2): the list is empty, it fits after the scan
        var b = Vmap(at: 2);                           // [2,4)
        var regs = Ioremap(0, 4, at: 8);               // 16 KiB aligns to 32 KiB: [8,13); b ends below 8, so the scan passes it whole
        var c = Vmalloc(2, at: 4);                     // [4,7): first fit in the hole between b and regs
        Release(Ioremap(4, 2, at: Refused));           // 8 KiB aligns to 16 KiB: free are page 7 and [13,16), neither at a 4-page boundary — refused in the scan
        var d = Vmalloc(2, at: 13);                    // [13,16): ends exactly at the arena's end
        Release(Ioremap(6, 1, at: Refused));           // 4 KiB aligns to 8 KiB: d straddles page 14 — refused after the scan
        Release(Vmalloc(1, at: Refused));              // page 7 alone cannot hold a page and its guard — refused
        Release(Vmap(at: Refused));                    // the same for vmap; its caller frees the page it brought
        Release(a);                                    // vfree: [0,2) free
        Release(Vmalloc(1, at: 0));                    // [0,2) again: a page and its guard fill the hole up to b exactly
        Release(Ioremap(0, 0, at: Refused));           // ioremap of an empty BAR: size 0 is NULL before vmlist is touched
        Release(regs);                                 // iounmap: [7,13) free
        Release(Ioremap(8, 2, at: 8));                 // [8,11): first fit across [0,2) (too small) and page 7 (unaligned)
        var page = Unmap(b);                           // vunmap: [0,4) free; the page stays the caller's
        Release(Vmalloc(3, at: Refused));              // fits [0,4) exactly, but the pool holds 2 pages: vmalloc gives the area back
        if (page is { } pfn) _pool.FreePage(pfn);
        Release(c);
        Release(d);
    }

    /// <summary>The expected outcome of a request that first fit must refuse.</summary>
    private const int Refused = -1;

    /// <summary>vmalloc(<paramref name="pages"/> pages) at arena page <paramref name="at"/>, read through; null (-ENOMEM) when it is refused.</summary>
    private Mapping? Vmalloc(int pages, int at)
    {
        var owner = ++_owner;
        var call = $"vmalloc({pages} page{(pages == 1 ? "" : "s")})";
        var area = VmallocEdgesScenario.Timed(probe, () => vm.Vmalloc(pages, owner));
        FirstFit(call, area?.Addr, at);
        if (area is null) return Refusal(call, "-ENOMEM");
        for (var i = 0; i < pages; i++) Read(area.Addr, i, area.Pages[i], PageContent.Tag(owner, i), $"vmalloc owner {owner}");
        return new Mapping(VmFlags.VM_ALLOC, area.Addr, null);
    }

    /// <summary>vmap, at arena page <paramref name="at"/>, of one page the caller allocated and filled, read through; null when either is refused.</summary>
    private Mapping? Vmap(int at)
    {
        var owner = ++_owner;
        if (_pool.AllocPage() is not { } pfn) return Refusal("alloc_page", "no page to vmap");
        world.Memory.Write(pfn, PageContent.Tag(owner, 0));
        var area = VmallocEdgesScenario.Timed(probe, () => vm.Vmap([pfn], owner));
        FirstFit("vmap(1 page)", area?.Addr, at);
        if (area is null)
        {
            _pool.FreePage(pfn);
            return Refusal("vmap(1 page)", "the caller frees its page");
        }
        Read(area.Addr, 0, pfn, PageContent.Tag(owner, 0), $"vmap owner {owner}");
        return new Mapping(VmFlags.VM_MAP, area.Addr, pfn);
    }

    /// <summary>
    /// ioremap of the device's pages [<paramref name="first"/>, +<paramref name="pages"/>) at arena page
    /// <paramref name="at"/>, read through; null when refused (the probe fails).
    /// </summary>
    private Mapping? Ioremap(int first, int pages, int at)
    {
        var owner = ++_owner;
        var pfn = devicePfn + first;
        var size = (uint)pages * X86Layout.PageSize;
        var call = $"ioremap({pages * 4} KiB)";
        var mapped = VmallocEdgesScenario.Timed(probe, () => vm.Ioremap(pfn << X86Layout.PageShift, size, owner));
        FirstFit(call, mapped, at);
        if (mapped is not { } addr) return Refusal(call, "the probe fails");
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

    /// <summary>
    /// The driver is the arena's only allocator, so __get_vm_area's first fit decides every outcome whatever the
    /// interleaving: an area anywhere else, or a refusal where one fits (or a fit where none does), is an allocator
    /// that is not first fit.
    /// </summary>
    private void FirstFit(string call, uint? addr, int at)
    {
        int? page = addr is { } a ? (int)((a - vm.List.Start) / X86Layout.PageSize) : null;
        if (page == (at == Refused ? null : at)) return;
        Sim.Fail(BugKind.AssertionFailure, $"vmalloc-edges: {call} " +
                                           (page is { } p ? $"returned arena page {p}" : "was refused") + ", but first fit " +
                                           (at == Refused ? "has no room for it" : $"puts it at arena page {at}"));
    }

    // The caller's side of a refusal, named in the interleaving.
    private static Mapping? Refusal(string call, string handling)
    {
        if (Sim.IsControlled) Sim.Note($"driver: {call} = NULL: {handling}");
        return null;
    }

    /// <summary>A mapping the driver holds: how it was made, its address, and the page a vmap caller brought.</summary>
    private sealed record Mapping(VmFlags Kind, uint Addr, int? CallerPage);
}
