using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Temporary;
using HighMemConcurrency.HighMem.Vmalloc;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>Sequential behaviour of the classic vmalloc area (spec §3.1).</summary>
public sealed class VmallocTests
{
    private static (HighMemModel World, VmallocArea Vm) Create(int arenaPages = 16, int poolPages = 8)
    {
        var world = OnCpu.World(window: 1, vmallocPages: arenaPages);
        var pool = new PageAllocator(world.Machine, world.Memory, world.HighPage(0), poolPages);
        var vm = new VmallocArea(new VmallocConfig { ArenaPages = arenaPages }, world.Machine, world.Tables, world.Memory, world.Oracle, pool);
        return (world, vm);
    }

    [Fact]
    public void FirstFit_LeavesAGuardPageBetweenAreas_AndReusesFreedHoles()
    {
        var (world, vm) = Create();
        var start = world.Layout.VmallocStart;
        OnCpu.Run(world, 0, () =>
        {
            var a = vm.Vmalloc(1, owner: 1)!.Addr;
            var b = vm.Vmalloc(2, owner: 2)!.Addr;
            var c = vm.Vmalloc(1, owner: 3)!.Addr;
            Assert.Equal(start, a);
            Assert.Equal(start + 2 * X86Layout.PageSize, b);          // 1 page + guard
            Assert.Equal(start + 5 * X86Layout.PageSize, c);          // 2 pages + guard
            Assert.Null(world.Tables.Pte(a + X86Layout.PageSize));   // the guard is unmapped
            Assert.Equal([a, b, c], vm.List.Areas.Select(t => t.Addr));
            Assert.Equal(2, vm.List.Areas[1].NrPages);
            Assert.Equal(VmFlags.VM_ALLOC, vm.List.Areas[1].Flags);
            vm.Vfree(b);
            var d = vm.Vmalloc(1, owner: 4)!.Addr;
            Assert.Equal(b, d);                                        // first fit takes the hole
            Assert.Null(vm.List.CheckInvariant24());
        });
    }

    [Fact]
    public void Vfree_UnmapsFlushesAndPoisonsThePages()
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Kernel.Machine.CurrentCpuOrThrow;
            var addr = vm.Vmalloc(1, owner: 7)!.Addr;
            var pfn = vm.List.Areas[0].Pages[0];
            world.Oracle.ReadExpect(cpu, addr, pfn, PageContent.Tag(7, 0), "owner");   // fills the TLB
            Assert.NotNull(cpu.Tlb.Lookup(X86Layout.Vpn(addr)));
            vm.Vfree(addr);
            Assert.Empty(vm.List.Areas);
            Assert.Null(world.Tables.Pte(addr));
            Assert.Null(cpu.Tlb.Lookup(X86Layout.Vpn(addr)));
            Assert.Equal(PageContent.Poison, world.Memory.Read(pfn));
        });
    }

    [Fact]
    public void VmapAndIoremap_MapCallerAndDeviceFrames_WithIoremapAlignment()
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            var page = vm.Pages.AllocPage()!.Value;
            var mapped = vm.Vmap([page], owner: 1)!.Addr;
            Assert.Equal(page, world.Tables.Pte(mapped));
            Assert.Equal(VmFlags.VM_MAP, vm.List.Areas[0].Flags);
            var device = 0x4_0000_0000L >> 4;   // some frame-aligned bus address above RAM
            var io = vm.Ioremap(device, X86Layout.PageSize, owner: 2)!.Value;
            Assert.Equal(0u, io % (2 * X86Layout.PageSize));          // 2^fls(4096) = 8 KiB alignment
            Assert.Equal((int)(device >> X86Layout.PageShift), world.Tables.Pte(io));
            Assert.Equal(device, vm.List.Areas.Single(t => t.Flags == VmFlags.VM_IOREMAP).PhysAddr);
            vm.Vunmap(mapped);
            vm.Iounmap(io);
            Assert.Empty(vm.List.Areas);
            Assert.NotEqual(PageContent.Poison, world.Memory.Read(page));   // vunmap leaves the caller's page alone
        });
    }

    [Fact]
    public void FullArena_FailsTheAllocation()
    {
        var (world, vm) = Create(arenaPages: 4);
        OnCpu.Run(world, 0, () =>
        {
            Assert.NotNull(vm.Vmalloc(1, owner: 1));
            Assert.NotNull(vm.Vmalloc(1, owner: 2));
            Assert.Null(vm.Vmalloc(1, owner: 3));
            Assert.Equal(2, vm.List.Areas.Count);
        });
    }

    [Fact]
    public void VfreeOfAnUnknownAddress_Warns()
    {
        var (world, vm) = Create();
        var e = Assert.Throws<Systematic.SimAssertionException>(() => OnCpu.Run(world, 0, () => vm.Vfree(world.Layout.VmallocStart)));
        Assert.Contains("WARNING: Trying to vfree() nonexistent vm area", e.Message);
    }
}

/// <summary>__get_vm_area's first fit and VM_IOREMAP alignment, and vmalloc's unwinding, on arenas built for each case.</summary>
public sealed class VmallocFitTests
{
    private static (HighMemModel World, VmallocArea Vm) Create(int arenaPages = 16, int poolPages = 8)
    {
        var world = OnCpu.World(window: 1, vmallocPages: arenaPages);
        var pool = new PageAllocator(world.Machine, world.Memory, world.HighPage(0), poolPages);
        var vm = new VmallocArea(new VmallocConfig { ArenaPages = arenaPages }, world.Machine, world.Tables, world.Memory, world.Oracle, pool);
        return (world, vm);
    }

    private const uint Page = X86Layout.PageSize;

    [Fact]
    public void AHoleExactlyTheSizeOfTheRequestPlusGuard_IsTaken()
    {
        var (world, vm) = Create();
        var start = world.Layout.VmallocStart;
        OnCpu.Run(world, 0, () =>
        {
            var a = vm.Vmalloc(2, owner: 1)!.Addr;                    // [start, +3 pages)
            vm.Vmalloc(1, owner: 2);                                    // [+3, +5)
            vm.Vfree(a);
            Assert.Equal(start, vm.Vmalloc(2, owner: 3)!.Addr);        // 2 pages + guard fill the 3-page hole
            Assert.Equal(start + 5 * Page, vm.Vmalloc(1, owner: 4)!.Addr);
            Assert.Null(vm.List.CheckInvariant24());
        });
    }

    [Fact]
    public void Ioremap_IsAlignedTo2PowFlsOfItsSize_EvenPastAnUnalignedArea()
    {
        var (world, vm) = Create();
        var start = world.Layout.VmallocStart;
        OnCpu.Run(world, 0, () =>
        {
            vm.Vmalloc(2, owner: 1);                                    // ends at start + 3 pages
            var io = vm.Ioremap(0x1000_0000L, Page, owner: 2)!.Value;  // fls(4096) = 13: 8 KiB alignment
            Assert.Equal(start + 4 * Page, io);
            var small = vm.Ioremap(0x2000_0000L, 100, owner: 3)!.Value; // fls(100) = 7 < PAGE_SHIFT: page alignment
            Assert.Equal(start + 6 * Page, small);
            Assert.Null(vm.List.CheckInvariant24());
        });
    }

    [Fact]
    public void Ioremap_AlignmentIsCappedAtIoremapMaxOrder()
    {
        // 1 MiB: fls = 21, capped at IOREMAP_MAX_ORDER = PAGE_SHIFT + 7 = 19 (512 KiB).
        var (world, vm) = Create(arenaPages: 400);
        var start = world.Layout.VmallocStart;
        OnCpu.Run(world, 0, () =>
        {
            vm.Vmalloc(1, owner: 1);
            var io = vm.Ioremap(0x1000_0000L, 1u << 20, owner: 2)!.Value;
            Assert.Equal(start + (512u << 10), io);
        });
    }

    [Fact]
    public void AnAreaThatWouldEndPastTheArena_Fails_AndOneEndingExactlyAtIt_Fits()
    {
        var (world, vm) = Create(arenaPages: 6);
        OnCpu.Run(world, 0, () =>
        {
            var a = vm.Vmalloc(1, owner: 1)!.Addr;                    // [0, 2)
            vm.Vmalloc(1, owner: 2);                                    // [2, 4)
            vm.Vfree(a);
            Assert.Null(vm.Vmalloc(2, owner: 3));                      // 3 pages: neither the hole nor [4, 6) holds it
            Assert.NotNull(vm.Vmalloc(1, owner: 4));                   // the hole
            Assert.NotNull(vm.Vmalloc(1, owner: 5));                   // [4, 6): ends exactly at the arena's end
            Assert.Equal(3, vm.List.Areas.Count);
        });
    }

    [Fact]
    public void VmallocOutOfPages_GivesBackWhatItTook()
    {
        var (world, vm) = Create(poolPages: 2);
        OnCpu.Run(world, 0, () =>
        {
            Assert.Null(vm.Vmalloc(3, owner: 1));
            Assert.Empty(vm.List.Areas);
            Assert.NotNull(vm.Vmalloc(2, owner: 2));                   // both frames came back
            Assert.Equal(world.Layout.VmallocStart, vm.List.Areas.Single().Addr);   // and so did the address range
        });
    }

    [Fact]
    public void Vread_ChecksEveryPublishedPageThroughItsVmallocAddress()
    {
        var (world, vm) = Create();
        OnCpu.Run(world, 0, () =>
        {
            var area = vm.Vmalloc(2, owner: 1)!;
            vm.Ioremap(0x1000_0000L, Page, owner: 2);                 // device memory: not read
            vm.Vread("reader");
            var cpu = Kernel.Machine.CurrentCpuOrThrow;
            Assert.NotNull(cpu.Tlb.Lookup(X86Layout.Vpn(area.Addr + Page)));   // the second page was read too
        });
        var e = Assert.Throws<Systematic.SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            world.Memory.Write(vm.List.Areas[0].Pages[1], PageContent.Poison);
            vm.Vread("reader");
        }));
        Assert.Contains("reader", e.Message);
    }

    [Fact]
    public void VunmapOfAnUnalignedAddress_Warns()
    {
        var (world, vm) = Create();
        var e = Assert.Throws<Systematic.SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            var addr = vm.Vmalloc(1, owner: 1)!.Addr;
            vm.Vunmap(addr + 8);
        }));
        Assert.Contains($"WARNING: Trying to vunmap() bad address (0x{world.Layout.VmallocStart + 8:x8})", e.Message);
    }
}
