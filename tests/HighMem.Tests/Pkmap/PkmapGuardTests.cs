using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Pkmap;

/// <summary>
/// The model's own guards, each made to fire (or shown silent) on a state built for it: the invariant check at every
/// kmap_lock release (on by default, on the kunmap_high and kmap paths alike), the pkmap page walk's bounds (H12's
/// strict upper bound) and the page_address_htable hash that spreads pages over the buckets.
/// </summary>
public sealed class PkmapGuardTests
{
    /// <summary>A stray page_address entry (no slot maps the page) breaks P4; the next kmap_lock release must say so.</summary>
    private static void StrayEntry(HighMemModel m) =>
        m.Pkmap.PageAddresses.SetPageAddress(m.Memory.Pages[5], m.Layout.PkmapAddr(3));

    [Fact]
    public void InvariantsAreCheckedAtUnlockByDefault()
    {
        Assert.True(new PkmapOptions().CheckInvariantsOnUnlock);
    }

    [Fact]
    public void KunmapHigh_ChecksTheInvariantsAtItsRelease()
    {
        var m = ModelHarness.Create();
        var p = m.Memory.Pages[0];
        var e = Assert.Throws<SimAssertionException>(() => ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(p);
            StrayEntry(m);
            m.Pkmap.Kunmap(p);
        }));
        Assert.Contains("invariant P4 violated", e.Message);
        Assert.Equal(1, m.Pkmap.PkmapCount(1));   // the check fired at kunmap_high's release, after its 2 → 1 write
    }

    [Fact]
    public void KmapHigh_ChecksTheInvariantsAtItsRelease()
    {
        var m = ModelHarness.Create();
        var e = Assert.Throws<SimAssertionException>(() => ModelHarness.OnTask(m, () =>
        {
            StrayEntry(m);
            m.Pkmap.Kmap(m.Memory.Pages[0]);
        }));
        Assert.Contains("invariant P4 violated", e.Message);
    }

    [Fact]
    public void WithoutTheCheckOnUnlock_TheSameCorruptionGoesUnnoticed()
    {
        var m = HighMemModel.Create(1, 6, new PkmapOptions { LastPkmap = 4, HashBuckets = 2, CheckInvariantsOnUnlock = false });
        var p = m.Memory.Pages[0];
        ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(p);
            StrayEntry(m);
            m.Pkmap.Kunmap(p);
        });
        Assert.Equal(1, m.Pkmap.PkmapCount(1));
    }

    /// <summary>The walk answers for [PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP)) only: the page after the window is not pkmap's.</summary>
    [Fact]
    public void PageWalk_CoversExactlyThePkmapWindow()
    {
        var m = ModelHarness.Create(lastPkmap: 4);
        var p = m.Memory.Pages[0];
        ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(p);
            var walk = m.Machine.KernelRanges.Single(r => r.Name == "pkmap").Walk;   // the pkmap walk itself, not the composite
            var first = m.Layout.PkmapBaseVpn;
            Assert.Null(walk(first - 1));
            Assert.Null(walk(first));                 // slot 0: never used before the hand wraps
            Assert.Equal(p.Pfn, walk(first + 1));
            Assert.Null(walk(first + 3));
            Assert.Null(walk(first + 4));             // PKMAP_ADDR(LAST_PKMAP): outside (H12's off-by-one would read slot 4)
            m.Pkmap.Kunmap(p);
        });
        Assert.True(m.Layout.IsPkmap(m.Layout.PkmapAddr(3)));
        Assert.False(m.Layout.IsPkmap(m.Layout.PkmapAddr(4)));
        Assert.True(m.Layout.IsPkmap(m.Layout.PkmapBase));
        Assert.False(m.Layout.IsPkmap(m.Layout.PkmapBase - 1));
    }

    /// <summary>Consecutive pages spread over the buckets (a hash sending every page to one bucket serialises them).</summary>
    [Fact]
    public void PageAddressHash_SpreadsPagesOverTheBuckets()
    {
        var m = HighMemModel.Create(1, 64, new PkmapOptions { LastPkmap = 4, HashBuckets = 16 });
        var buckets = m.Memory.Pages.Select(m.Pkmap.PageAddresses.BucketIndex).ToList();
        Assert.All(buckets, b => Assert.InRange(b, 0, 15));
        Assert.Equal(16, buckets.Distinct().Count());
        Assert.Equal(16, m.Pkmap.PageAddresses.BucketCount);
    }

    /// <summary>Pages in different buckets keep their own entries: each page's address is its own slot's.</summary>
    [Fact]
    public void PageAddress_FindsEachPageInItsBucket()
    {
        var m = ModelHarness.Create(lastPkmap: 8, pages: 6);
        ModelHarness.OnTask(m, () =>
        {
            var vas = m.Memory.Pages.Take(4).Select(m.Pkmap.Kmap).ToList();
            Assert.Equal(4, vas.Distinct().Count());
            for (var k = 0; k < 4; k++) Assert.Equal(vas[k], m.Pkmap.PageAddress(m.Memory.Pages[k]));
            Assert.Equal(0u, m.Pkmap.PageAddress(m.Memory.Pages[5]));
            foreach (var page in m.Memory.Pages.Take(4)) m.Pkmap.Kunmap(page);
        });
    }
}
