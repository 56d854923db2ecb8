using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Tests.Temporary;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Tests.Pkmap;

/// <summary>
/// x86 PAT's page attribute change on a highmem page: kmap_flush_unused() first, so a page kunmapped to nobody loses
/// its lazily kept write-back pkmap PTE before it becomes uncached; without it (5843d9a4d0ba's variant) the alias is
/// reported, and a page still kmapped is an alias the flush cannot remove.
/// </summary>
public sealed class PageAttrTests
{
    private static HighMemModel Model(BugVariant? variant = null) =>
        HighMemModel.Create(1, 2, new PkmapOptions { LastPkmap = 4, Variant = variant });

    [Fact]
    public void A_lazily_kept_mapping_is_flushed_before_the_page_becomes_uncached_and_the_type_changes_both_ways()
    {
        var m = Model();
        var page = m.Memory.Pages[0];
        OnCpu.Run(m, 0, () =>
        {
            m.Pkmap.Kmap(page);
            m.Pkmap.Kunmap(page);   // count 1: the PTE stays
            m.PageAttr.SetPagesArrayUc(page);
            Assert.Equal(MemoryType.Uncached, m.PageAttr.TypeOf(page));
            m.PageAttr.SetPagesArrayWb(page);
        });
        Assert.Equal(MemoryType.WriteBack, m.PageAttr.TypeOf(page));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Null(m.Pkmap.Pte(i)));   // kmap_flush_unused cleared the slot
    }

    [Fact]
    public void Without_kmap_flush_unused_the_kept_mapping_is_a_conflicting_alias()
    {
        var m = Model(PkmapVariants.NoKmapFlushUnused);
        var page = m.Memory.Pages[1];
        string? message = null;
        OnCpu.Run(m, 0, () =>
        {
            Assert.Equal(m.Layout.PkmapAddr(1), m.Pkmap.Kmap(page));   // the hand moves before it takes a slot
            m.Pkmap.Kunmap(page);
            message = Assert.ThrowsAny<Exception>(() => m.PageAttr.SetPagesArrayUc(page)).Message;
        });
        Assert.Equal($"AssertionFailure: PAT: conflicting memory types for {page}: set_pages_array_uc makes it uncached while pkmap slot 1 " +
                     $"(0x{m.Layout.PkmapAddr(1):x8}, pkmap_count 1) still maps it write-back", message);
    }

    [Fact]
    public void Without_pkmap_the_model_has_no_page_attributes() =>
        Assert.Throws<InvalidOperationException>(() => HighMemModel.Create(new HighMemConfig()).PageAttr);
}
