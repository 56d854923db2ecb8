using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// kmap_to_page() (mm/highmem.c __kmap_to_page): a pkmap address gives the page its pkmap PTE maps, a kmap_local
/// address the page the calling task recorded for that slot, any other address virt_to_page. Known answers of the
/// default layout: slot k of CPU c at 0xFFFFF000 − (4 + k + 4·c) pages; virt_to_page(va) = (va − 0xC0000000) / 4096.
/// </summary>
public sealed class KmapToPageTests
{
    private const int W = 4;

    private static uint Slot(int cpu, int k) => 0xFFFF_F000u - ((uint)(4 + k + W * cpu) << 12);

    private static int VirtToPage(uint va) => (int)((va - 0xC000_0000u) >> 12);

    private static KmapLocal Kmap(HighMemModel world, BugVariant? variant = null) =>
        new(new LocalKmapConfig { KmMaxIdx = W, Variant = variant }, world.Machine, world.Windows, world.Interrupts);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_kmap_local_address_gives_the_page_its_slot_records_on_either_cpu_from_the_first_slot_on(int cpu)
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        var pages = new List<int>();
        OnCpu.Run(world, cpu, () =>
        {
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));
            Assert.Equal(Slot(cpu, 0), a);   // on CPU0 this is FIX_KMAP_BEGIN's own page, the top of the window
            pages.Add(kmap.KmapToPage(a));
            pages.Add(kmap.KmapToPage(b + 0x123));   // any byte of the page
            kmap.KunmapLocal(b);
            kmap.KunmapLocal(a);
        });
        Assert.Equal([world.HighPage(0), world.HighPage(1)], pages);
        Assert.Equal(2, world.Machine.Counters.Snapshot()["kmap_to_page.kmap_local"]);
    }

    [Fact]
    public void A_lowmem_address_gives_its_direct_map_page_and_a_window_address_the_task_does_not_hold_gives_virt_to_page()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        var pages = new List<int>();
        OnCpu.Run(world, 0, () =>
        {
            pages.Add(kmap.KmapToPage(world.Layout.LowmemAddress(0x1234)));
            pages.Add(kmap.KmapToPage(Slot(0, 2)));   // in the window, but no entry of this task's stack
        });
        Assert.Equal([0x1234, VirtToPage(Slot(0, 2))], pages);
    }

    [Fact]
    public void A_pkmap_address_gives_the_page_its_pkmap_pte_maps_and_pfn_0_when_it_maps_none()
    {
        var world = HighMemModel.Create(2, 4, new PkmapOptions { LastPkmap = 4 });
        var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = world.Layout.KmapWindow }, world.Machine, world.Windows, world.Interrupts);
        var va = world.Layout.PkmapAddr(2);
        world.Tables.SetPteAt(va, world.HighPage(3));
        var pages = new List<int>();
        OnCpu.Run(world, 0, () =>
        {
            pages.Add(kmap.KmapToPage(va + 8));
            pages.Add(kmap.KmapToPage(world.Layout.PkmapAddr(1)));
        });
        Assert.Equal([world.HighPage(3), 0], pages);
        world.Tables.PteClear(va);
    }

    [Fact]
    public void Before_the_fix_a_kmap_local_address_falls_through_to_virt_to_page()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world, LocalVariants.KmapToPageMissesLocal);
        var pages = new List<int>();
        OnCpu.Run(world, 1, () =>
        {
            var a = kmap.KmapLocalPage(world.HighPage(0));
            pages.Add(kmap.KmapToPage(a));
            kmap.KunmapLocal(a);
        });
        Assert.Equal([VirtToPage(Slot(1, 0))], pages);
    }

    [Fact]
    public void The_merged_strict_bound_leaves_out_only_cpu0s_first_slot()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world, LocalVariants.KmapToPageSkipsBegin);
        var pages = new List<int>();
        OnCpu.Run(world, 0, () =>
        {
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));
            pages.Add(kmap.KmapToPage(a));   // __fix_to_virt(FIX_KMAP_BEGIN) itself: base < it is false
            pages.Add(kmap.KmapToPage(b));
            kmap.KunmapLocal(b);
            kmap.KunmapLocal(a);
        });
        Assert.Equal([VirtToPage(Slot(0, 0)), world.HighPage(1)], pages);
    }

    [Fact]
    public void Outside_a_kernel_task_it_is_refused()
    {
        var kmap = Kmap(OnCpu.World(window: W));
        Assert.Equal("kmap_to_page outside a kernel task", Assert.Throws<InvalidOperationException>(() => kmap.KmapToPage(Slot(0, 0))).Message);
    }
}
