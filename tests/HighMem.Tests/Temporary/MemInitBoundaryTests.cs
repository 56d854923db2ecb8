using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// The model boots through mem_init()'s boundary checks (arch/x86/mm/init_32.c): every layout the scenarios can ask
/// for passes them, and one whose fixmaps reach down into the vmalloc area is the kernel's BUG, reported at creation.
/// </summary>
public sealed class MemInitBoundaryTests
{
    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(2, 13, 4)]
    [InlineData(8, 16, 1024)]
    [InlineData(128, 16, 1024)]   // the largest the parameters allow: NR_CPUS 128, a 5.11 window, LAST_PKMAP 1024
    public void Every_layout_the_scenarios_ask_for_boots(int cpus, int window, int lastPkmap)
    {
        var layout = new AddressLayout { NrCpus = cpus, KmapWindow = window, LastPkmap = lastPkmap };

        layout.CheckMemInitBoundaries();
        Assert.Equal(cpus, HighMemModel.Create(new HighMemConfig { Layout = layout, Pkmap = new PkmapOptions { LastPkmap = lastPkmap } }).Machine.Cpus.Count);
    }

    [Fact]
    public void Fixmaps_that_reach_the_vmalloc_area_are_mem_inits_BUG()
    {
        // 4,096 CPUs × 16 slots: 65,542 permanent and 64 boot fixmaps put FIXADDR_BOOT_START at 0xeffb9000, so
        // PKMAP_BASE = (0xeffb9000 − 1,025 pages) & PMD_MASK = 0xef800000 and VMALLOC_END = 0xef7fe000, below
        // VMALLOC_START = (0xf8000000 + 16 MiB − 1) & ~(8 MiB − 1) = 0xf8800000 (high_memory = 3 GiB + 896 MiB).
        var layout = new AddressLayout { NrCpus = 4096, KmapWindow = 16 };

        var bug = Assert.Throws<KernelBugException>(() => HighMemModel.Create(new HighMemConfig { Layout = layout }));
        Assert.Equal("kernel BUG at arch/x86/mm/init_32.c:mem_init: BUG_ON(VMALLOC_START (0xf8800000) >= VMALLOC_END (0xef7fe000))", bug.Message);
    }
}
