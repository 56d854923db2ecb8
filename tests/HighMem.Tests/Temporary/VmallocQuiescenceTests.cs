using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Vmalloc;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// The vmalloc side's own checks: a page freed twice is the kernel's BUG, a page never freed is a leak at quiescence,
/// vmlist must be empty again, every arena PTE must belong to a listed area (with the frame that area puts there),
/// and mapping over a present PTE is the kernel's WARN (vmalloc) or BUG (ioremap). Each made to fire by a small
/// wrong program, with its message; the balanced program stays clean.
/// </summary>
public sealed class VmallocQuiescenceTests
{
    private const int PoolPages = 4;

    private static (HighMemModel World, VmallocArea Vm, PageAllocator Pool) Create()
    {
        var world = OnCpu.World(window: 1, vmallocPages: 16);
        var pool = new PageAllocator(world.Machine, world.Memory, world.HighPage(0), PoolPages);
        var vm = new VmallocArea(new VmallocConfig(), world.Machine, world.Tables, world.Memory, world.Oracle, pool);
        return (world, vm, pool);
    }

    [Fact]
    public void EveryKindOfAreaMadeAndFreed_LeavesTheMachineQuiescent()
    {
        var (world, vm, pool) = Create();
        OnCpu.Run(world, 0, () =>
        {
            vm.Vfree(vm.Vmalloc(2, owner: 1)!.Addr);
            var pfn = pool.AllocPage()!.Value;
            vm.Vunmap(vm.Vmap([pfn], owner: 2)!.Addr);
            pool.FreePage(pfn);
            vm.Iounmap(vm.Ioremap((long)world.Layout.TotalPages << X86Layout.PageShift, X86Layout.PageSize, owner: 3)!.Value);
            vm.Vread("reader");
        });
        Assert.Null(world.Machine.QuiescentViolation());
    }

    [Fact]
    public void APageNeverFreed_IsALeakAtQuiescence()
    {
        var (world, vm, pool) = Create();
        OnCpu.Run(world, 0, () => pool.AllocPage());
        Assert.Equal($"at quiescence 1 page(s) of the pool were never freed: pfn 0x{world.HighPage(0):x} (an alloc_page without its __free_page: a leak)",
            world.Machine.QuiescentViolation());
    }

    [Fact]
    public void APageFreedTwice_IsABug()
    {
        var (world, _, pool) = Create();
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var pfn = pool.AllocPage()!.Value;
            pool.FreePage(pfn);
            pool.FreePage(pfn);
        }));
        Assert.Equal($"kernel BUG at include/linux/mm.h: put_page_testzero: BUG_ON(page_count(page) == 0): __free_page of pfn 0x{world.HighPage(0):x}, " +
                     "which is already free (a double free)", e.Message);
    }

    [Fact]
    public void AnAreaNeverFreed_LeavesVmlistNotEmpty()
    {
        var (world, vm, _) = Create();
        VmStruct? area = null;
        OnCpu.Run(world, 0, () => area = vm.Vmap([world.HighPage(8)], owner: 5));
        Assert.Equal($"at quiescence vmlist still holds 1 area(s): {area} (a vmalloc, vmap or ioremap never freed)", world.Machine.QuiescentViolation());
    }

    /// <summary>A vunmap that leaves a PTE behind: the area is gone from vmlist, so nothing owns the PTE.</summary>
    [Fact]
    public void APteLeftByAnUnlistedArea_IsStrayAtQuiescence()
    {
        var (world, _, _) = Create();
        var va = world.Layout.VmallocStart + 3 * X86Layout.PageSize;
        OnCpu.Run(world, 0, () => world.Tables.SetPteAt(va, world.HighPage(9)));
        Assert.Equal($"at quiescence the vmalloc PTE of 0x{va:x8} maps pfn 0x{world.HighPage(9):x} but no live mapping owns it " +
                     "(a stray PTE: an unmap that left it behind, or a map that wrote the wrong address)", world.Machine.QuiescentViolation());
    }

    /// <summary>
    /// An ioremap PTE written one page off: its own page is empty, the next one (another area's) maps the device frame.
    /// Checked while the areas are still listed (as a reader under vmlist_lock would see them), ownership says which is
    /// wrong: the PTE that holds a frame its area does not put there.
    /// </summary>
    [Fact]
    public void APteWithAFrameItsAreaDoesNotMap_IsNotOwned()
    {
        var (world, vm, _) = Create();
        var device = (long)world.Layout.TotalPages << X86Layout.PageShift;
        OnCpu.Run(world, 0, () =>
        {
            var io = vm.Ioremap(device, X86Layout.PageSize, owner: 1)!.Value;
            var pfn = (int)(device >> X86Layout.PageShift);
            Assert.Null(world.Tables.StrayPte());
            world.Tables.SetPteAt(io, pfn + 1);   // the PTE now maps a frame the area does not
            Assert.Equal($"at quiescence the vmalloc PTE of 0x{io:x8} maps pfn 0x{pfn + 1:x} but no live mapping owns it " +
                         "(a stray PTE: an unmap that left it behind, or a map that wrote the wrong address)", world.Tables.StrayPte());
            world.Tables.SetPteAt(io, pfn);
            vm.Iounmap(io);
        });
        Assert.Null(world.Machine.QuiescentViolation());
    }

    [Fact]
    public void VmallocOverAPresentPte_Warns()
    {
        var (world, vm, _) = Create();
        var start = world.Layout.VmallocStart;
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            world.Tables.SetPteAt(start, world.HighPage(9));   // left behind by someone's unmap
            vm.Vmalloc(1, owner: 1);
        }));
        Assert.Equal($"AssertionFailure: WARNING: map_area_pte: WARN_ON(!pte_none(*pte)): the vmalloc PTE of 0x{start:x8} already maps pfn 0x{world.HighPage(9):x}",
            e.Message);
    }

    [Fact]
    public void IoremapOverAPresentPte_IsABug()
    {
        var (world, vm, _) = Create();
        var start = world.Layout.VmallocStart;
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            world.Tables.SetPteAt(start, world.HighPage(9));
            vm.Ioremap((long)world.Layout.TotalPages << X86Layout.PageShift, X86Layout.PageSize, owner: 1);
        }));
        Assert.Equal($"kernel BUG at remap_area_pte: page already exists: the vmalloc PTE of 0x{start:x8} maps pfn 0x{world.HighPage(9):x}", e.Message);
    }
}
