using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Pkmap;

public sealed partial class Pkmap
{
    /// <summary>
    /// flush_all_zero_pkmaps() (kmap_lock held): the kmap caches flushed (flush_cache_kmaps), then every slot in state
    /// 1 becomes 0 — PTE cleared, page address removed — then one global TLB flush, before kmap_lock is released, so nobody can reuse a slot some TLB still
    /// caches.
    /// </summary>
    internal void FlushAllZeroPkmaps()
    {
        FlushCacheKmaps();
        var flushed = false;   // mutation-report: equivalent[Boolean]: true only adds a global TLB flush when no slot was cleared — a cost, not a safety change
        for (var i = 0; i < Layout.LastPkmap; i++)
        {
            if (ReadCount(i) != 1) continue;
            WriteCount(i, 1, 0, flushing: true);
            var vaddr = Layout.PkmapAddr(i);
            if (Tables.PtepGet(vaddr) is not { } pfn)   // BUG_ON(pte_none(pkmap_page_table[i]))
                throw Bug("flush_all_zero_pkmaps", $"pkmap PTE {i} is empty although pkmap_count[{i}] was 1 (BUG_ON(pte_none))");
            Tables.PteClear(vaddr);
            PageAddresses.SetPageAddress(Memory.PfnToPage(pfn), 0);
            flushed = true;
        }
        if (!flushed) return;
        Machine.Counters.Add("pkmap.flushes");
        if (Variant == SkipTlbFlush) return;
        if (Variant == DropLockAroundFlush)
        {
            UnlockKmap();
            FlushPkmapTlbs();
            LockKmap();
            return;
        }
        FlushPkmapTlbs();
    }

    /// <summary>kmap_flush_unused(): flush every unused slot now, so no stale alias of a highmem page survives.</summary>
    public void KmapFlushUnused()
    {
        LockKmap();
        FlushAllZeroPkmaps();
        UnlockKmap();
    }

    // flush_cache_kmaps(): on a VIVT cache (ARM) flush_cache_all(), so that no line of a pkmap address about to be
    // reused still holds the old page's data; nothing where the caches are not modelled.
    private void FlushCacheKmaps()
    {
        if (Oracle.Caches.Count > 0 && Kernel.Machine.CurrentCpu is { } cpu) Oracle.FlushCacheAll(cpu);
    }

    private void FlushPkmapTlbs()
    {
        if (Sim.IsControlled) Sim.Note("flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP))");
        Machine.FlushTlbKernelRange(Layout.PkmapBaseVpn, Layout.PkmapBaseVpn + Layout.LastPkmap);
    }
}
