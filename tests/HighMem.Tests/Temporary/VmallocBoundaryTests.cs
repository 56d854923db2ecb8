using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Scenarios.Temporary;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Vmalloc;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// The edges of __get_vm_area's first fit (spec §3.1): a neighbour straddling an aligned candidate, a request that
/// overflows the address space or exceeds the arena, a full arena for vmap; the argument checks; and the
/// lock and trace contracts of remove_vm_area, Publish and vfree.
/// </summary>
public sealed class VmallocBoundaryTests
{
    private const uint Page = X86Layout.PageSize;

    private static (HighMemModel World, VmallocArea Vm) Create(int arenaPages = 16, int poolPages = 8, BugVariant? variant = null)
    {
        var world = OnCpu.World(window: 1, vmallocPages: arenaPages);
        var pool = new PageAllocator(world.Machine, world.Memory, world.HighPage(0), poolPages);
        var vm = new VmallocArea(new VmallocConfig { ArenaPages = arenaPages, Variant = variant }, world.Machine, world.Tables, world.Memory, world.Oracle, pool);
        return (world, vm);
    }

    [Fact]
    public void Ioremap_SkipsANeighbourThatStraddlesTheAlignedCandidate()
    {
        // [0,3) and [3,5) in pages. An 8 KiB-aligned ioremap of one page (+guard) is first tried at 4, which lies
        // inside [3,5); the search must move on to ALIGN(5, 2) = 6.
        var (world, vm) = Create();
        var start = world.Layout.VmallocStart;
        OnCpu.Run(world, 0, () =>
        {
            vm.Vmalloc(2, owner: 1);
            vm.Vmalloc(1, owner: 2);
            var io = vm.Ioremap(0x1000_0000L, Page, owner: 3)!.Value;
            Assert.Equal(start + 6 * Page, io);
            Assert.Equal([start, start + 3 * Page, start + 6 * Page], vm.List.Areas.Select(t => t.Addr));
            Assert.Null(vm.List.CheckInvariant24());
        });
    }

    [Fact]
    public void Ioremap_MapsEveryDevicePageAtItsOffset_AndLeavesTheGuardUnmapped()
    {
        var (world, vm) = Create();
        const long phys = 0x1000_0000L;   // pfn 0x10000
        OnCpu.Run(world, 0, () =>
        {
            var io = vm.Ioremap(phys, 3 * Page, owner: 1)!.Value;
            for (var p = 0u; p < 3; p++) Assert.Equal(0x10000 + (int)p, world.Tables.Pte(io + p * Page));
            Assert.Null(world.Tables.Pte(io + 3 * Page));
            Assert.Equal(4 * Page, vm.List.Areas.Single().Size);
        });
    }

    [Fact]
    public void ARequestPastTheTopOfTheAddressSpace_IsRefused_AndTheListIsUnchanged()
    {
        var (world, vm) = Create();
        var start = world.Layout.VmallocStart;
        var huge = (start / 2) & ~(Page - 1);   // start + huge > 4 GiB: the candidate address would wrap
        OnCpu.Run(world, 0, () =>
        {
            var first = vm.Vmalloc(1, owner: 1)!;
            Assert.Null(vm.List.GetVmArea(huge, VmFlags.VM_ALLOC, owner: 2));
            Assert.Equal([first], vm.List.Areas);
        });
    }

    [Fact]
    public void InAnEmptyArena_ARequestEndingPastItsEnd_IsRefused_AndOneEndingAtItsEnd_Fits()
    {
        var (world, vm) = Create(arenaPages: 4);
        OnCpu.Run(world, 0, () =>
        {
            Assert.Null(vm.Vmalloc(4, owner: 1));                     // 4 + guard = 5 pages > 4
            Assert.Empty(vm.List.Areas);
            var area = vm.Vmalloc(3, owner: 2)!;                       // 3 + guard = the whole arena
            Assert.Equal(world.Layout.VmallocStart, area.Addr);
            Assert.Equal(vm.List.End, area.End);
        });
    }

    [Theory]
    [InlineData(0u)]            // PAGE_ALIGN(0) == 0
    [InlineData(0xFFFF_F001u)]  // PAGE_ALIGN wraps to 0
    [InlineData(0xFFFF_FFFFu)]
    [InlineData(0xFFFF_F000u)]  // aligned, but its guard page would wrap
    public void GetVmArea_OfASizeThatPageAlignsToNothingOrWraps_ReturnsNull_WithoutTouchingVmlist(uint size)
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            Assert.Null(vm.List.GetVmArea(size, VmFlags.VM_ALLOC, owner: 1));
            Assert.Null(vm.Ioremap(0x1000_0000L, size, owner: 1));
            Assert.Empty(vm.List.Areas);
            Assert.NotNull(vm.Vmalloc(1, owner: 2));                  // vmlist_lock was not left held
        });
    }

    [Fact]
    public void VmallocAndVmap_OfMoreThanTheAddressSpaceHolds_ReturnNull_InsteadOfAWrappedSize()
    {
        // 2^20 pages are 4 GiB: as a 32-bit size that is 0, and 2^20 + 1 pages would be one page.
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            Assert.Null(vm.Vmalloc(1 << 20, owner: 1));
            Assert.Null(vm.Vmalloc((1 << 20) + 1, owner: 1));
            Assert.Null(vm.Vmap([], owner: 1));                        // vmap of no pages: get_vm_area(0) is NULL
            Assert.Empty(vm.List.Areas);
            Assert.NotNull(vm.Vmalloc(8, owner: 2));                  // every page of the pool is still free
        });
    }

    [Fact]
    public void Vmap_OfMorePagesThanTheAddressSpaceHolds_ReservesNothing()
    {
        // vmap maps the caller's frames without allocating, so only the size check stands between 2^20 + 1 pages
        // (a 32-bit size of one page) and a one-page area that claims to map all of them.
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            var page = vm.Pages.AllocPage()!.Value;
            Assert.Null(vm.Vmap([.. Enumerable.Repeat(page, (1 << 20) + 1)], owner: 1));
            Assert.Null(vm.Vmap([.. Enumerable.Repeat(page, 1 << 20)], owner: 1));
            Assert.Empty(vm.List.Areas);
        });
    }

    [Fact]
    public void Vmap_OnAFullArena_ReturnsNull()
    {
        var (world, vm) = Create(arenaPages: 4);
        OnCpu.Run(world, 0, () =>
        {
            vm.Vmalloc(1, owner: 1);
            vm.Vmalloc(1, owner: 2);
            var page = vm.Pages.AllocPage()!.Value;
            Assert.Null(vm.Vmap([page], owner: 3));
            Assert.Equal(2, vm.List.Areas.Count);
        });
    }

    [Fact]
    public void GetVmArea_FromAtomicContext_IsASleepingFunctionBug()
    {
        var (world, vm) = Create();
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            Kernel.Machine.CurrentCpuOrThrow.PreemptDisable();
            vm.Vmalloc(1, owner: 1);
        }));
        Assert.Contains("BUG: sleeping function called from invalid context at get_vm_area", e.Message);
    }

    [Fact]
    public void RemoveVmArea_OfAnUnknownAddress_ReturnsNullAndReleasesVmlistLock()
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            Assert.Null(vm.List.RemoveVmArea(world.Layout.VmallocStart));
            Assert.NotNull(vm.Vmalloc(1, owner: 1));                  // takes vmlist_lock again on this CPU
        });
    }

    [Fact]
    public void Publish_OfAnAreaThatIsNotListed_IsReported_AndReleasesVmlistLock()
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            var stray = new VmStruct(world.Layout.VmallocStart, 2 * Page, VmFlags.VM_ALLOC, ImmutableArray<int>.Empty, 0, Owner: 1);
            var e = Assert.Throws<SimAssertionException>(() => vm.List.Publish(stray));
            Assert.Contains("vmlist lost", e.Message);
            Assert.NotNull(vm.Vmalloc(1, owner: 2));
        });
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => vm.Vmalloc(0, owner: 1));
            Assert.Throws<ArgumentNullException>(() => vm.List.Publish(null!));
            Assert.Throws<ArgumentNullException>(() => vm.List.ForEachLocked(null!));
            Assert.Empty(vm.List.Areas);
        });
    }

    [Fact]
    public void AVmStructWithoutAPagesArray_HasNoPages()
    {
        var area = new VmStruct(0xF880_0000u, 2 * Page, VmFlags.VM_IOREMAP, default, 0x1000_0000L, Owner: 1);
        Assert.Equal(0, area.NrPages);
        Assert.Equal(1, area.MappedPages);
    }

    [Fact]
    public void VfreePagesBeforeFlush_Sequentially_StillUnmapsUnlinksAndFreesThePages()
    {
        // The V7 variant only reorders; with no concurrent reader the end state is vfree's.
        var (world, vm) = Create(variant: VmallocVariants.VfreePagesBeforeFlush);
        OnCpu.Run(world, 0, () =>
        {
            var area = vm.Vmalloc(2, owner: 1)!;
            vm.Vfree(area.Addr);
            Assert.Empty(vm.List.Areas);
            Assert.Null(world.Tables.Pte(area.Addr));
            Assert.All(area.Pages, pfn => Assert.Equal(PageContent.Poison, world.Memory.Read(pfn)));
            Assert.Equal(area.Addr, vm.Vmalloc(2, owner: 2)!.Addr);   // frames and range are both free again
        });
    }

    [Fact]
    public void TheInterleaving_NotesEachReservationFillFailureAndPoisoning()
    {
        uint addr = 0;
        int pfn = -1;
        var report = SystematicTest.Run(() =>
        {
            var (world, vm) = Create(arenaPages: 2);
            world.Machine.StartTask("vm", 0, () =>
            {
                var area = vm.Vmalloc(1, owner: 5)!;
                (addr, pfn) = (area.Addr, area.Pages[0]);
                Sim.Assert(vm.Vmalloc(1, owner: 6) is null, "the 2-page arena holds one area");
                vm.Vfree(area.Addr);
            });
            world.Machine.JoinAll();
            Sim.Assert(false, "stop");   // end the iteration with a report, to read its interleaving
        }, new TestOptions { Iterations = 1 });
        Assert.Equal("stop", report.Bug!.Message);
        var notes = report.Bug.Steps.SelectMany(s => s.Notes).ToList();
        Assert.Contains($"get_vm_area: [0x{addr:x8}, 0x{addr + 2 * Page:x8}) VM_ALLOC owner 5", notes);
        Assert.Contains("allocation failed: out of vmalloc space", notes);
        var operations = report.Bug.Steps.Select(s => $"{s.Operation} {s.Target}").ToList();
        Assert.Contains(operations, o => o.Contains($"owner 5 fills pfn {pfn}", StringComparison.Ordinal));
        Assert.Contains(operations, o => o.Contains($"poison pfn {pfn}", StringComparison.Ordinal));
    }
}
