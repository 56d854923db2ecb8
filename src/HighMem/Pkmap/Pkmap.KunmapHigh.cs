using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Pkmap;

public sealed partial class Pkmap
{
    /// <summary>kunmap() (2.6 form): BUG in interrupt context, then kunmap_high.</summary>
    public void Kunmap(PhysicalPage page)
    {
        // A null page is refused by kunmap_high, before kmap_lock is taken.
        if (Machine.CurrentCpu is { InInterrupt: true } cpu)
            throw Bug("kunmap", $"called in interrupt context on CPU{cpu.Id} (BUG_ON(in_interrupt()))");
        KunmapHigh(page);
    }

    /// <summary>
    /// kunmap_high(): drop one reference. Reaching 0 is a BUG (only a flush may produce 0); reaching 1 wakes the
    /// sleepers if pkmap_map_wait is non-empty — sampled under kmap_lock, where it is exact because waiters queue
    /// under kmap_lock too — with the wake_up itself outside the lock. The page keeps its slot (lazy unmap).
    /// </summary>
    public void KunmapHigh(PhysicalPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        // Variant H14 ii: the queue is sampled without kmap_lock. Sequentially consistent execution cannot reorder
        // the sample after the count store the way a lockless load may on real hardware (even x86-TSO lets a load
        // pass an earlier store), so the model performs the lockless sample where that reordering would put it:
        // before the critical section.
        var pkmapMapWait = GetPkmapWaitQueueHead(GetPkmapColor(page));
        var earlySample = Variant == WakeCheckOutsideLock && pkmapMapWait.Active();   // mutation-report: equivalent[Equality; Logical]: earlySample is read only when the variant is on; otherwise this is one more look at the queue, which changes nothing
        var flags = LockKmapAny();
        var va = PageAddress(page);
        if (va == 0) throw Bug("kunmap_high", $"{page} has no pkmap address (BUG_ON(!vaddr))");
        var i = Layout.PkmapNr(va);
        var old = ReadCount(i);
        var count = old - 1;
        if (count == 0) throw Bug("kunmap_high", $"pkmap_count[{i}] of {page} dropped from 1 to 0 (only flush_all_zero_pkmaps may produce 0)");
        WriteCount(i, old, count);
        var needWakeup = false;   // mutation-report: equivalent[Boolean]: true only adds wake_ups (of a queue that may be empty, or at a count above 1): spurious wake-ups, which every pkmap_map_wait sleeper survives by re-checking, as in the kernel — a cost, not a safety change
        if (count == (Variant == WakeOnZero ? 0 : 1))   // mutation-report: equivalent[Conditional (false)]: with the variant's test false this is the correct model's count == 1
            needWakeup = Variant == WakeCheckOutsideLock ? earlySample : pkmapMapWait.Active();   // mutation-report: equivalent[Conditional (false)]: with the variant's test false this is the correct model's sample under kmap_lock
        if (needWakeup && Sim.IsControlled) Sim.Note($"need_wakeup: {pkmapMapWait.Name} is not empty");
        AddReference(page, -1);
        UnlockKmapAny(flags);
        if (!needWakeup) return;
        Machine.Counters.Add("pkmap_map_wait.wakeups");
        pkmapMapWait.WakeUp();
    }

    /// <summary>
    /// kmap_high_get() (ARCH_NEEDS_KMAP_HIGH_GET): pins the page's existing slot and returns its address, or returns
    /// 0 without pinning when the page has none. Never allocates, never sleeps: usable from interrupts.
    /// </summary>
    public uint KmapHighGet(PhysicalPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!Options.ArchNeedsKmapHighGet)
            throw new InvalidOperationException("kmap_high_get exists only with ARCH_NEEDS_KMAP_HIGH_GET (PkmapOptions.ArchNeedsKmapHighGet)");
        var flags = LockKmapAny();
        var va = PageAddress(page);
        if (va != 0)
        {
            var i = Layout.PkmapNr(va);
            var old = ReadCount(i);
            if (old < 1) throw Bug("kmap_high_get", $"pkmap_count[{i}] is {old} for mapped {page} (BUG_ON(pkmap_count < 1))");
            WriteCount(i, old, old + 1);
            AddReference(page, +1);
        }
        UnlockKmapAny(flags);
        // Where it ran matters: from an IRQ is what kmap_high_get exists for.
        if (va == 0) Machine.Counters.Add("kmap_high_get.misses");
        else Machine.Counters.AddInContext("kmap_high_get.pin", Machine.CurrentCpu?.Context ?? ContextKind.Process);
        return va;
    }
}
