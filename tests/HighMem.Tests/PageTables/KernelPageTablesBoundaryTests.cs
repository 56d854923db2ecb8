using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.PageTables;

/// <summary>
/// The edges of each kernel PTE range, with addresses worked out by hand from spec §0 for 2 CPUs, 13-slot windows,
/// 4 + 2 other permanent fixmaps (32 permanent entries, then 64 boot-time ones), 1 GiB of RAM (VMALLOC_START
/// 0xF8800000), LAST_PKMAP 4 and PKMAP_BASE 0xFFC00000.
/// </summary>
public sealed class KernelPageTablesBoundaryTests
{
    private const uint LastPermanentFixmap = 0xFFFE0000;   // __fix_to_virt(31) = 0xFFFFF000 − 31 pages
    private const uint FirstBootFixmap = 0xFFFDF000;       // __fix_to_virt(32) = FIXADDR_START
    private const uint LastBootFixmap = 0xFFFA0000;        // __fix_to_virt(95) = FIXADDR_BOOT_START + PAGE_SIZE
    private const uint FixaddrBootStart = 0xFFF9F000;      // the page below every fixmap
    private const uint VmallocStart = 0xF8800000;
    private const uint PkmapBase = 0xFFC00000;   // (FIXADDR_BOOT_START 0xFFF9F000 − 5 pages) & PMD_MASK

    private static HighMemModel Model(int vmallocPages = 4, bool pkmap = true) => HighMemModel.Create(new HighMemConfig
    {
        Layout = new AddressLayout { NrCpus = 2, LastPkmap = 4 },
        Frames = 8,
        VmallocPages = vmallocPages,
        Pkmap = pkmap ? new PkmapOptions { LastPkmap = 4 } : null,
    });

    private static KernelRange Range(HighMemModel m, string name) => m.Machine.KernelRanges.Single(r => r.Name == name);

    [Theory]
    [InlineData(0xFFFFF000u)]        // fixmap index 0, FIXADDR_TOP
    [InlineData(0xFFFFFFFFu)]        // the last byte of index 0's page
    [InlineData(LastPermanentFixmap)]
    [InlineData(FirstBootFixmap)]    // boot-time fixmaps have PTEs too (unused after boot)
    [InlineData(LastBootFixmap)]
    [InlineData(0xFFFEC000u)]        // CPU 1's slot 2: index 4 + 2 + 13 = 19
    [InlineData(VmallocStart)]
    [InlineData(VmallocStart + 3 * 0x1000 + 0xFFF)]
    [InlineData(PkmapBase)]
    [InlineData(PkmapBase + 4 * 0x1000 - 1)]
    public void TheFirstAndLastPageOfEachRange_HaveAPte(uint va)
    {
        var m = Model();
        var pfn = m.HighPage(3);
        Assert.Null(m.Tables.Pte(va));
        m.Tables.SetPteAt(va, pfn);
        Assert.Equal(pfn, m.Tables.Pte(va));
        Assert.Equal(pfn, m.Machine.WalkPageTables(va >> 12));
        m.Tables.PteClear(va);
        Assert.Null(m.Tables.Pte(va));
    }

    [Theory]
    [InlineData(FixaddrBootStart)]                // one page below the boot-time fixmaps
    [InlineData(LastBootFixmap - 1)]
    [InlineData(VmallocStart - 1)]
    [InlineData(VmallocStart + 4 * 0x1000)]       // the page after the 4-page arena
    [InlineData(PkmapBase - 1)]
    [InlineData(PkmapBase + 4 * 0x1000)]          // PKMAP_ADDR(LAST_PKMAP)
    [InlineData(0xC0000000u)]                     // the direct map has no modelled PTE
    public void AnAddressJustOutsideEachRange_HasNoPte(uint va)
    {
        var m = Model();
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.Pte(va));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.SetPteAt(va, m.HighPage(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.PteClear(va));
        Assert.Null(m.Machine.WalkPageTables(va >> 12));
    }

    [Fact]
    public void EachRange_IsMappedAtItsHandComputedPages()
    {
        var m = Model();
        Assert.Equal((0xFFFA0L, 96), (Range(m, "fixmap").BaseVpn, Range(m, "fixmap").Pages));
        Assert.Equal((0xF8800L, 4), (Range(m, "vmalloc").BaseVpn, Range(m, "vmalloc").Pages));
        Assert.Equal((0xFFC00L, 4), (Range(m, "pkmap").BaseVpn, Range(m, "pkmap").Pages));
        Assert.Equal(4, m.Tables.VmallocPages);
    }

    [Theory]
    [InlineData("fixmap", 0xFFF9FL)]
    [InlineData("fixmap", 0x100000L)]    // the page past 0xFFFFF000 (address 4 GiB)
    [InlineData("vmalloc", 0xF87FFL)]
    [InlineData("vmalloc", 0xF8804L)]
    [InlineData("pkmap", 0xFFBFFL)]
    [InlineData("pkmap", 0xFFC04L)]
    public void EachRangesWalk_OfAPageOutsideIt_IsEmpty(string range, long vpn)
    {
        var m = Model();
        Assert.Null(Range(m, range).Walk(vpn));
    }

    [Fact]
    public void NoVmallocArena_MapsNoVmallocRange()
    {
        var m = Model(vmallocPages: 0);
        Assert.DoesNotContain(m.Machine.KernelRanges, r => r.Name == "vmalloc");
        Assert.Equal(0, m.Tables.VmallocPages);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.Pte(VmallocStart));
    }

    [Fact]
    public void TheConstructor_RefusesANullMachineOrLayoutAndANegativeArena()
    {
        var layout = new AddressLayout();
        Assert.Throws<ArgumentNullException>(() => new KernelPageTables(null!, layout));
        Assert.Throws<ArgumentNullException>(() => new KernelPageTables(new Machine(new MachineConfig { Cpus = 2 }), null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KernelPageTables(new Machine(new MachineConfig { Cpus = 2 }), layout, vmallocPages: -1));
    }

    [Fact]
    public void NoPtesMessage_NamesTheModelledRanges()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model().Tables.Pte(FixaddrBootStart));
        Assert.DoesNotContain("not modelled", e.Message);     // this model has pkmap PTEs
        Assert.Contains("the fixmap [0xfffa0000, 0xfffff000]", e.Message);
        Assert.Contains("4-page vmalloc arena at 0xf8800000", e.Message);
    }

    [Fact]
    public void FixmapAndVmallocPteWrites_AreSchedulingPoints()
    {
        var pfn = 0;
        var report = SystematicTest.Run(() =>
        {
            var m = Model();
            pfn = m.HighPage(2);
            m.Machine.StartTask("test", 0, () =>
            {
                m.Tables.SetPteAt(0xFFFEC000u, pfn);
                m.Tables.PteClear(0xFFFEC000u);
                m.Tables.SetPteAt(VmallocStart + 0x1000, pfn);
                m.Tables.PteClear(VmallocStart + 0x1000);
            });
            m.Machine.JoinAll();
            Sim.Assert(false, "stop");
        }, new TestOptions { Iterations = 1 });
        Assert.Equal("stop", report.Bug!.Message);
        var steps = report.Bug.Steps.Select(s => $"{s.Operation} {s.Target}").ToList();
        string[] expected =
        [
            $"set_pte fix[19] = pfn {pfn}", "pte_clear fix[19]",
            $"set_pte vmalloc 0xf8801000 = pfn {pfn}", "pte_clear vmalloc 0xf8801000",
        ];
        var at = expected.Select(x => steps.FindIndex(s => s.Contains(x))).ToList();
        Assert.DoesNotContain(-1, at);
        Assert.Equal(at.Order(), at);
    }
}
