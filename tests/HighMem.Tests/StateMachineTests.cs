using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>Sequential tests of the slot state machine (spec §1.13) and of the hand, wrap and budget rules (§1.5).</summary>
public sealed class StateMachineTests
{
    [Fact]
    public void FirstKmap_AdvancesTheHandBeforeExamining_AndTakesSlot1()
    {
        var m = ModelHarness.Create();
        var p = m.Memory.Pages[0];
        ModelHarness.OnTask(m, () =>
        {
            var va = m.Pkmap.Kmap(p);
            Assert.Equal(m.Layout.PkmapAddr(1), va);
            Assert.Equal(1, m.Pkmap.LastPkmapNr);
            Assert.Equal(2, m.Pkmap.PkmapCount(1));                 // 0 → 1 in map_new_virtual, → 2 by kmap_high
            Assert.Equal(p.Pfn, m.Pkmap.Pte(1));
            Assert.Equal(va, m.Pkmap.PageAddress(p));
            Assert.Equal(p.Read(2), m.Pkmap.ReadMapped(va, p, 2));
            m.Pkmap.Kunmap(p);
        });
        Assert.Null(PkmapInvariants.CheckQuiescent(m.Pkmap));
    }

    [Fact]
    public void Kunmap_IsLazy_AndAKmapRevivesTheSlotWithoutMovingTheHand()
    {
        var m = ModelHarness.Create();
        var p = m.Memory.Pages[0];
        ModelHarness.OnTask(m, () =>
        {
            var va = m.Pkmap.Kmap(p);
            m.Pkmap.Kunmap(p);
            Assert.Equal(1, m.Pkmap.PkmapCount(1));                 // 2 → 1: no users, still mapped
            Assert.Equal(p.Pfn, m.Pkmap.Pte(1));
            Assert.Equal(va, m.Pkmap.PageAddress(p));
            Assert.Equal(va, m.Pkmap.Kmap(p));                      // 1 → 2: revival
            Assert.Equal(2, m.Pkmap.PkmapCount(1));
            Assert.Equal(1, m.Pkmap.LastPkmapNr);
            Assert.Equal(va, m.Pkmap.Kmap(p));                      // n → n + 1
            Assert.Equal(3, m.Pkmap.PkmapCount(1));
            m.Pkmap.Kunmap(p);                                      // n ≥ 3 → n − 1
            Assert.Equal(2, m.Pkmap.PkmapCount(1));
            m.Pkmap.Kunmap(p);
        });
        Assert.Equal(0, m.Machine.Counters["pkmap.flushes"]);
    }

    [Fact]
    public void HandWrapsOnlyAtSlot0_AndTheWrapFlushTurnsOnesIntoZeros()
    {
        var m = ModelHarness.Create(lastPkmap: 4);
        var pages = m.Memory.Pages;
        ModelHarness.OnTask(m, () =>
        {
            var slots = Enumerable.Range(0, 3).Select(i => m.Layout.PkmapNr(m.Pkmap.Kmap(pages[i]))).ToArray();
            Assert.Equal(new[] { 1, 2, 3 }, slots);
            Assert.Equal(0, m.Machine.Counters["pkmap.wraps"]);
            m.Pkmap.Kunmap(pages[0]);                               // slot 1 → state 1
            m.Pkmap.Kunmap(pages[1]);                               // slot 2 → state 1

            // The hand reaches 0: wrap, flush (slots 1 and 2 become 0 with one shootdown), then slot 0 is free.
            Assert.Equal(m.Layout.PkmapAddr(0), m.Pkmap.Kmap(pages[3]));
            Assert.Equal(1, m.Machine.Counters["pkmap.wraps"]);
            Assert.Equal(1, m.Machine.Counters["pkmap.flushes"]);
            Assert.Equal(1, m.Machine.Counters["tlb.shootdowns"]);
            Assert.Equal(new[] { 2, 0, 0, 2 }, m.Pkmap.PkmapCounts());
            Assert.Null(m.Pkmap.Pte(1));
            Assert.Null(m.Pkmap.Pte(2));
            Assert.Equal(0u, m.Pkmap.PageAddress(pages[0]));          // set_page_address(page, NULL)
            Assert.DoesNotContain(m.Machine.Cpus[0].Tlb.Entries(), e => e.Vpn == m.Layout.PkmapBaseVpn + 1);

            // pages[0] lost its slot: a new kmap gives it the next free one after the hand.
            Assert.Equal(m.Layout.PkmapAddr(1), m.Pkmap.Kmap(pages[0]));
            foreach (var i in new[] { 0, 2, 3 }) m.Pkmap.Kunmap(pages[i]);
        });
        Assert.Null(PkmapInvariants.CheckQuiescent(m.Pkmap));
    }

    [Fact]
    public void WrapWithNothingToFlush_IssuesNoTlbShootdown()
    {
        var m = ModelHarness.Create(lastPkmap: 2);
        ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(m.Memory.Pages[0]);                        // slot 1
            Assert.Equal(m.Layout.PkmapAddr(0), m.Pkmap.Kmap(m.Memory.Pages[1]));   // wrap, nothing at 1
            m.Pkmap.Kunmap(m.Memory.Pages[0]);
            m.Pkmap.Kunmap(m.Memory.Pages[1]);
        });
        Assert.Equal(1, m.Machine.Counters["pkmap.wraps"]);
        Assert.Equal(0, m.Machine.Counters["pkmap.flushes"]);
        Assert.Equal(0, m.Machine.Counters["tlb.shootdowns"]);
    }

    /// <summary>
    /// Hand at 0, slot 1 in state 1, slot 0 in use. The scan examines slot 1 (unusable, budget 2 → 1), wraps to 0
    /// (flush: slot 1 → 0; budget reset to 2), finds 0 busy (→ 1) and slot 1 free.
    /// </summary>
    [Fact]
    public void BudgetIsResetAfterTheWrapFlush_SoTheFlushedSlotIsFound()
    {
        var m = ModelHarness.Create(lastPkmap: 2);
        var (a, b, c) = (m.Memory.Pages[0], m.Memory.Pages[1], m.Memory.Pages[2]);
        ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(a);                                        // slot 1
            m.Pkmap.Kmap(b);                                        // wrap → slot 0, hand 0
            m.Pkmap.Kunmap(a);                                      // slot 1 → 1
            Assert.Equal(m.Layout.PkmapAddr(1), m.Pkmap.Kmap(c));
            Assert.Equal(1, m.Pkmap.LastPkmapNr);
            Assert.Equal(0u, m.Pkmap.PageAddress(a));
            m.Pkmap.Kunmap(b);
            m.Pkmap.Kunmap(c);
        });
        Assert.Equal(2, m.Machine.Counters["pkmap.wraps"]);
    }

    [Fact]
    public void WithoutTheBudgetReset_TheSameStateWouldSleepWithAFreeSlot_P8()
    {
        var m = ModelHarness.Create(lastPkmap: 2, variant: PkmapVariants.NoBudgetReset);
        var (a, b, c) = (m.Memory.Pages[0], m.Memory.Pages[1], m.Memory.Pages[2]);
        var e = Assert.Throws<SimAssertionException>(() => ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(a);
            m.Pkmap.Kmap(b);
            m.Pkmap.Kunmap(a);
            m.Pkmap.Kmap(c);
        }));
        Assert.Contains("invariant P8 violated", e.Message);
        Assert.Contains("pkmap_count[1] is 0", e.Message);
    }

    [Fact]
    public void KunmapAtCountOne_IsABug()
    {
        var m = ModelHarness.Create();
        var p = m.Memory.Pages[0];
        var e = Assert.Throws<KernelBugException>(() => ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(p);
            m.Pkmap.Kunmap(p);
            m.Pkmap.Kunmap(p);
        }));
        Assert.Equal("kernel BUG at mm/highmem.c:kunmap_high: pkmap_count[1] of page 0 (pfn 0x38000) dropped from 1 to 0 (only flush_all_zero_pkmaps may produce 0)", e.Message);
    }

    [Fact]
    public void KunmapOfAnUnmappedPage_IsABug()
    {
        var m = ModelHarness.Create();
        var e = Assert.Throws<KernelBugException>(() => ModelHarness.OnTask(m, () => m.Pkmap.Kunmap(m.Memory.Pages[3])));
        Assert.Contains("has no pkmap address (BUG_ON(!vaddr))", e.Message);
    }

    [Fact]
    public void KmapFlushUnused_RemovesEveryLazyAlias()
    {
        var m = ModelHarness.Create();
        var (a, b) = (m.Memory.Pages[0], m.Memory.Pages[1]);
        ModelHarness.OnTask(m, () =>
        {
            m.Pkmap.Kmap(a);
            m.Pkmap.Kmap(b);
            m.Pkmap.Kunmap(a);
            m.Pkmap.KmapFlushUnused();
            Assert.Equal(new[] { 0, 0, 2, 0 }, m.Pkmap.PkmapCounts());
            Assert.Equal(0u, m.Pkmap.PageAddress(a));
            Assert.NotEqual(0u, m.Pkmap.PageAddress(b));
            m.Pkmap.Kunmap(b);
        });
        Assert.Null(PkmapInvariants.CheckQuiescent(m.Pkmap));
    }

    [Fact]
    public void KmapHighGet_PinsOnlyAnExistingSlot()
    {
        var m = ModelHarness.Create(arm: true);
        var (a, b) = (m.Memory.Pages[0], m.Memory.Pages[1]);
        ModelHarness.OnTask(m, () =>
        {
            Assert.Equal(0u, m.Pkmap.KmapHighGet(b));                // no mapping: nothing pinned
            var va = m.Pkmap.Kmap(a);
            m.Pkmap.Kunmap(a);
            Assert.Equal(va, m.Pkmap.KmapHighGet(a));                // 1 → 2
            Assert.Equal(2, m.Pkmap.PkmapCount(1));
            m.Pkmap.KunmapHigh(a);
        });
        Assert.Null(PkmapInvariants.CheckQuiescent(m.Pkmap));
    }

    [Fact]
    public void Kmap_UnderASpinlock_IsAnInvalidContext()
    {
        var m = ModelHarness.Create();
        var other = new Kernel.SpinLock(m.Machine, "other");
        var e = Assert.Throws<SimAssertionException>(() => ModelHarness.OnTask(m, () =>
        {
            other.Lock();
            m.Pkmap.Kmap(m.Memory.Pages[0]);
        }));
        Assert.Contains("BUG: sleeping function called from invalid context at kmap: in_atomic(): 1", e.Message);
    }
}
