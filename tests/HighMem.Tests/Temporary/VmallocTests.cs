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
