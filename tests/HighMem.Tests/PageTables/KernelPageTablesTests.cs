using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Pkmap;

namespace HighMemConcurrency.HighMem.Tests.PageTables;

/// <summary>
/// init_mm's kernel page tables hold every kernel PTE of the model — the pkmap window, the fixmap slots and the
/// vmalloc arena — and the MMU's one composite walk sees each PTE written through them.
/// </summary>
public sealed class KernelPageTablesTests
{
    private static HighMemModel Model(bool pkmap) => HighMemModel.Create(new HighMemConfig
    {
        Layout = new AddressLayout { NrCpus = 2, LastPkmap = 4 },
        Frames = 8,
        VmallocPages = 4,
        Pkmap = pkmap ? new PkmapOptions { LastPkmap = 4 } : null,
    });

    public static TheoryData<string> Ranges => ["pkmap", "fixmap", "vmalloc"];

    private static uint AddressIn(HighMemModel m, string range) => range switch
    {
        "pkmap" => m.Layout.PkmapAddr(3),
        "fixmap" => m.Layout.KmapAddress(1, 2),
        _ => m.Layout.VmallocStart + 3 * X86Layout.PageSize,
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void SetPteAt_IsSeenByTheComposite_Walk_AndPteClearEmptiesIt(string range)
    {
        var m = Model(pkmap: true);
        var va = AddressIn(m, range);
        var vpn = X86Layout.Vpn(va);
        var pfn = m.HighPage(5);
        Assert.Null(m.Tables.Pte(va));
        m.Tables.SetPteAt(va, pfn);
        Assert.Equal(pfn, m.Tables.Pte(va));
        Assert.Equal(pfn, m.Machine.WalkPageTables(vpn));
        Assert.Equal(pfn, m.Machine.KernelRanges.Single(r => r.Name == range).Walk(vpn));
        m.Tables.PteClear(va);
        Assert.Null(m.Tables.Pte(va));
        Assert.Null(m.Machine.WalkPageTables(vpn));
    }

    [Fact]
    public void ThePkmapPtesAreThePkmapModels()
    {
        var m = Model(pkmap: true);
        m.Tables.SetPteAt(m.Layout.PkmapAddr(2), m.HighPage(1));
        Assert.Equal(m.HighPage(1), m.Pkmap.Pte(2));
        Assert.Equal(m.HighPage(1), m.Tables.PtepGet(m.Layout.PkmapAddr(2)));
        Assert.Null(m.Tables.PtepGet(m.Layout.PkmapAddr(1)));
    }

    [Fact]
    public void AModelWithoutPkmap_HasNoPkmapPtes()
    {
        var m = Model(pkmap: false);
        Assert.DoesNotContain(m.Machine.KernelRanges, r => r.Name == "pkmap");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.SetPteAt(m.Layout.PkmapAddr(0), m.HighPage(0)));
        Assert.Contains("outside the pkmap window (not modelled)", e.Message);
    }

    [Fact]
    public void AnAddressOutsideEveryRange_HasNoPte()
    {
        var m = Model(pkmap: true);
        var past = m.Layout.PkmapAddr(4);   // PKMAP_ADDR(LAST_PKMAP): the page after the window (H12)
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.Pte(past));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.PteClear(m.Layout.VmallocStart + 4 * X86Layout.PageSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Tables.PtepGet(m.Layout.KmapAddress(0, 0)));
        Assert.Null(m.Machine.WalkPageTables(X86Layout.Vpn(past)));
    }
}
