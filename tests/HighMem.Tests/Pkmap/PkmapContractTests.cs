using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Pkmap;

/// <summary>
/// The contracts of the pkmap entry points on states built for them: bad arguments are refused before kmap_lock is
/// taken, the kernel's BUG_ONs and P9 fire on a corrupted slot, loads outside the window are reported (H12), and
/// the two lock-dropping variants still leave a sequential run's state right.
/// </summary>
public sealed class PkmapContractTests
{
    /// <summary>A model whose release check is off, so a corrupted state reaches the checks inside the functions.</summary>
    private static HighMemModel Unchecked(BugVariant? variant = null) =>
        HighMemModel.Create(1, 6, new PkmapOptions { LastPkmap = 4, HashBuckets = 2, CheckInvariantsOnUnlock = false, Variant = variant });

    /// <summary>page 5 gets an address in slot 3 whose pkmap_count is 0 (a P4 violation).</summary>
    private static void StrayEntry(HighMemModel m) => m.Pkmap.PageAddresses.SetPageAddress(m.Memory.Pages[5], m.Layout.PkmapAddr(3));

    [Fact]
    public void NullPage_IsRefusedBeforeKmapLockIsTaken()
    {
        var m = ModelHarness.Create(arm: true);
        ModelHarness.OnTask(m, () =>
        {
            Assert.Throws<ArgumentNullException>(() => m.Pkmap.Kmap(null!));
            Assert.Throws<ArgumentNullException>(() => m.Pkmap.Kunmap(null!));
            Assert.Throws<ArgumentNullException>(() => m.Pkmap.KunmapHigh(null!));
            Assert.Throws<ArgumentNullException>(() => m.Pkmap.KmapHighGet(null!));
            Assert.Throws<ArgumentNullException>(() => m.Pkmap.ReadMapped(m.Layout.PkmapAddr(1), null!));
            Assert.Throws<ArgumentNullException>(() => m.Pkmap.PageAddresses.BucketIndex(null!));
            Assert.False(m.Pkmap.KmapLock.IsLocked);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void PageAddressTable_NeedsABucket(int buckets)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HighMemModel.Create(1, 2, new PkmapOptions { LastPkmap = 4, HashBuckets = buckets }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void LastPkmap_MustBeAPowerOfTwoOfAtLeastTwo(int lastPkmap)
    {
        // PKMAP_NR wraps with LAST_PKMAP_MASK, and slot 0 is only taken after a wrap.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HighMemModel.Create(1, 2, new PkmapOptions { LastPkmap = lastPkmap }));
        Assert.Contains("LAST_PKMAP must be a power of two", e.Message);
    }

    [Fact]
    public void KmapHighGet_ExistsOnlyOnArchesThatNeedIt()
    {
        var m = ModelHarness.Create();
        ModelHarness.OnTask(m, () => Assert.Throws<InvalidOperationException>(() => m.Pkmap.KmapHighGet(m.Memory.Pages[0])));
    }

    [Fact]
    public void SetPageAddressNull_OfAPageWithoutAnEntry_ChangesNothing()
    {
        var m = ModelHarness.Create();
        ModelHarness.OnTask(m, () =>
        {
            var va = m.Pkmap.Kmap(m.Memory.Pages[0]);
            m.Pkmap.PageAddresses.SetPageAddress(m.Memory.Pages[2], 0);   // same bucket as page 0 with 2 buckets or not: no-op
            m.Pkmap.PageAddresses.SetPageAddress(m.Memory.Pages[1], 0);
            Assert.Equal(va, m.Pkmap.PageAddress(m.Memory.Pages[0]));
            Assert.Single(m.Pkmap.PageAddresses.Entries());
            m.Pkmap.Kunmap(m.Memory.Pages[0]);
        });
    }

    /// <summary>kmap_high on a page whose slot has count 0 ends at 1: BUG_ON(pkmap_count[nr] &lt; 2).</summary>
    [Fact]
    public void KmapHigh_OfASlotWithCountZero_IsABug()
    {
        var m = Unchecked();
        var e = Assert.Throws<KernelBugException>(() => ModelHarness.OnTask(m, () =>
        {
            StrayEntry(m);
            m.Pkmap.Kmap(m.Memory.Pages[5]);
        }));
        Assert.Equal("kernel BUG at mm/highmem.c:kmap_high: pkmap_count[3] is 1 after taking a reference (BUG_ON(pkmap_count < 2))", e.Message);
    }

    /// <summary>A count driven to −1 and taken back to 0 by a kmap writes 0 outside flush_all_zero_pkmaps: P9.</summary>
    [Fact]
    public void ZeroWrittenOutsideTheFlush_ViolatesP9()
    {
        var m = Unchecked();
        var e = Assert.Throws<SimAssertionException>(() => ModelHarness.OnTask(m, () =>
        {
            StrayEntry(m);
            m.Pkmap.Kunmap(m.Memory.Pages[5]);   // 0 → −1: not the 1 → 0 that kunmap_high refuses
            m.Pkmap.Kmap(m.Memory.Pages[5]);     // −1 → 0
        }));
        Assert.Contains("invariant P9 violated: pkmap_count[3] written 0 over -1 outside flush_all_zero_pkmaps", e.Message);
    }

    /// <summary>PKMAP_ADDR(LAST_PKMAP) is the first address after the window (H12): a load there is not a pkmap load.</summary>
    [Fact]
    public void LoadOnePastTheWindow_IsReportedWithTheTasksName()
    {
        var m = ModelHarness.Create(lastPkmap: 4);
        var p = m.Memory.Pages[0];
        var e = Assert.Throws<SimAssertionException>(() => ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(p);
            m.Pkmap.ReadMapped(m.Layout.PkmapAddr(4), p);
        }));
        Assert.Contains($"corruption: test on CPU0 loads from 0x{m.Layout.PkmapAddr(4):x8}, outside the pkmap window, expecting {p}", e.Message);
    }

    /// <summary>
    /// The drop-lock-around-flush variant still flushes exactly once per wrap that freed slots (its release check
    /// is off: at the dropped unlock the stale TLB entries break P7, which is how the variant is caught).
    /// </summary>
    [Fact]
    public void DropLockAroundFlush_StillShootsDownOncePerFlush()
    {
        var m = Unchecked(PkmapVariants.DropLockAroundFlush);
        var pages = m.Memory.Pages;
        ModelHarness.OnTask(m, () =>
        {
            for (var i = 0; i < 3; i++)
            {
                var va = m.Pkmap.Kmap(pages[i]);
                m.Pkmap.ReadMapped(va, pages[i]);   // fills CPU0's TLB
                m.Pkmap.Kunmap(pages[i]);
            }
            m.Pkmap.Kmap(pages[3]);                 // wrap: slots 1..3 flushed
            Assert.Equal(1, m.Machine.Counters["pkmap.flushes"]);
            Assert.Equal(1, m.Machine.Counters["tlb.shootdowns"]);
            Assert.DoesNotContain(m.Machine.Cpus[0].Tlb.Entries(), e => e.Vpn == m.Layout.PkmapBaseVpn + 1);
            Assert.False(m.Pkmap.KmapLock.IsLocked);
            m.Pkmap.Kunmap(pages[3]);
        });
    }

    /// <summary>The set-page-address-unlocked variant publishes the address outside kmap_lock but still publishes it.</summary>
    [Fact]
    public void SetPageAddressUnlocked_StillPublishesTheAddress_AndReturnsHoldingTheLock()
    {
        var m = Unchecked(PkmapVariants.SetPageAddressUnlocked);
        var p = m.Memory.Pages[0];
        ModelHarness.OnTask(m, () =>
        {
            var va = m.Pkmap.Kmap(p);
            Assert.Equal(va, m.Pkmap.PageAddress(p));
            Assert.Equal(2, m.Pkmap.PkmapCount(1));
            Assert.False(m.Pkmap.KmapLock.IsLocked);
            m.Pkmap.Kunmap(p);
            Assert.Equal(1, m.Pkmap.PkmapCount(1));
        });
    }
}

/// <summary>A bug report's interleaving says what the model did at each step: the hand, the counts, the hash, the flush.</summary>
public sealed class PkmapTraceNotesTests
{
    [Fact]
    public void TheInterleaving_NotesEveryStateChangeOfAWrap()
    {
        string? pageA = null, pageB = null;
        uint vaA = 0, vaB = 0;
        var report = SystematicTest.Run(() =>
        {
            var m = ModelHarness.Create(lastPkmap: 2, pages: 2);
            var (a, b) = (m.Memory.Pages[0], m.Memory.Pages[1]);
            (pageA, pageB) = (a.ToString(), b.ToString());
            m.Machine.StartTask("test", 0, () =>
            {
                vaA = m.Pkmap.Kmap(a);          // hand 0 → 1, slot 1: 0 → 1 → 2
                m.Pkmap.Kunmap(a);              // 2 → 1
                vaB = m.Pkmap.Kmap(b);          // hand wraps to 0: flush slot 1, then slot 0
                m.Pkmap.Kunmap(b);
            });
            m.Machine.JoinAll();
            Sim.Assert(false, "stop");          // end the iteration with a report, to read its interleaving
        }, new TestOptions { Iterations = 1 });
        Assert.Equal("stop", report.Bug!.Message);
        var notes = report.Bug.Steps.SelectMany(s => s.Notes).ToList();
        Assert.Equal(
        [
            "last_pkmap_nr := 1",
            "pkmap_count[1]: 0→1",
            $"page_address({pageA}) := 0x{vaA:x}",
            "pkmap_count[1]: 1→2",
            "pkmap_count[1]: 2→1",
            "last_pkmap_nr := 0 (wrap)",
            "pkmap_count[1]: 1→0",
            $"page_address({pageA}) := NULL",
            "flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP))",
            "pkmap_count[0]: 0→1",
            $"page_address({pageB}) := 0x{vaB:x}",
            "pkmap_count[0]: 1→2",
            "pkmap_count[0]: 2→1",
        ], notes.Where(n => n.StartsWith("last_pkmap_nr", StringComparison.Ordinal) || n.StartsWith("pkmap_count", StringComparison.Ordinal)
                            || n.StartsWith("page_address", StringComparison.Ordinal) || n.StartsWith("flush_tlb", StringComparison.Ordinal)));
    }
}
