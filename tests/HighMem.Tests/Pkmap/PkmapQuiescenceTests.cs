using HighMemConcurrency.HighMem.Invariants;

namespace HighMemConcurrency.HighMem.Tests.Pkmap;

/// <summary>
/// pkmap at the end of a run: the model registers its quiescence check (P1–P7 and every count ≤ 1) and owns the
/// pkmap PTEs of slots in use, so the machine's one quiescence check covers a kmap never kunmapped and a PTE no slot
/// accounts for; kmap_lock and pkmap_map_wait are the machine's generic spin-lock and wait-queue checks.
/// </summary>
public sealed class PkmapQuiescenceTests
{
    [Fact]
    public void KmapsAllKunmapped_LeaveTheMachineQuiescent()
    {
        var m = ModelHarness.Create();
        ModelHarness.OnTask(m, () =>
        {
            foreach (var page in m.Memory.Pages.Take(3))
            {
                m.Pkmap.ReadMapped(m.Pkmap.Kmap(page), page);   // fills CPU0's TLB: it must still agree at the end
                m.Pkmap.Kunmap(page);
            }
            m.Pkmap.KmapFlushUnused();
        });
        Assert.Null(m.Machine.QuiescentViolation());
    }

    [Fact]
    public void AKmapNeverKunmapped_IsReportedAtQuiescence()
    {
        var m = ModelHarness.Create();
        ModelHarness.OnTask(m, () => m.Pkmap.Kmap(m.Memory.Pages[2]));
        var slot = m.Layout.PkmapNr(m.Pkmap.PageAddress(m.Memory.Pages[2]));
        Assert.Equal($"at quiescence pkmap_count[{slot}] is 2: a kmap was never kunmapped", m.Machine.QuiescentViolation());
        Assert.Equal(m.Machine.QuiescentViolation(), PkmapInvariants.CheckQuiescent(m.Pkmap));
    }

    /// <summary>A pkmap PTE on a free slot (count 0): what a flush that skipped its pte_clear would leave.</summary>
    [Fact]
    public void APkmapPteOnAFreeSlot_IsStray()
    {
        var m = ModelHarness.Create();
        var va = m.Layout.PkmapAddr(3);
        var pfn = m.Memory.Pages[4].Pfn;
        ModelHarness.OnTask(m, () => m.Tables.SetPteAt(va, pfn));
        Assert.Equal($"at quiescence the pkmap PTE of 0x{va:x8} maps pfn 0x{pfn:x} but no live mapping owns it " +
                     "(a stray PTE: an unmap that left it behind, or a map that wrote the wrong address)", m.Machine.QuiescentViolation());
    }
}
