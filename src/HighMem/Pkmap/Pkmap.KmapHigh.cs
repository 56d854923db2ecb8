using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Pkmap;

public sealed partial class Pkmap
{
    /// <summary>kmap(): may sleep, so it must not be called from atomic or interrupt context.</summary>
    public uint Kmap(PhysicalPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Machine.MightSleep("kmap");
        // Every page of this model is highmem; a lowmem page would return its direct-map address here.
        return KmapHigh(page);
    }

    /// <summary>
    /// kmap_high(): under kmap_lock, reuse the page's slot if it has one (reviving a lazily unmapped slot 1→2) or
    /// map it into a new one, and take a reference.
    /// </summary>
    public uint KmapHigh(PhysicalPage page)
    {
        LockKmap();
        var va = PageAddress(page);   // trustworthy only because kmap_lock is held
        if (va == 0) va = MapNewVirtual(page);
        var i = Layout.PkmapNr(va);
        var old = ReadCount(i);
        // A count of 1 is a slot kunmapped to nobody but kept until the next wrap (lazy unmap): taking it revives it.
        if (old == 1) Machine.Counters.Add("pkmap.revivals");
        WriteCount(i, old, old + 1);
        if (old + 1 < 2) throw Bug("kmap_high", $"pkmap_count[{i}] is {old + 1} after taking a reference (BUG_ON(pkmap_count < 2))");
        AddReference(page, +1);
        UnlockKmap();
        return va;
    }

    /// <summary>
    /// map_new_virtual() (called and returns with kmap_lock held): advance the hand; on a wrap flush every unused
    /// slot and reset the budget; take the first slot with count 0; if the budget runs out every slot is in use, so
    /// sleep on pkmap_map_wait — state set and queued before kmap_lock is dropped — and after waking either find the
    /// page mapped by someone else or rescan.
    /// </summary>
    internal uint MapNewVirtual(PhysicalPage page)
    {
        var color = GetPkmapColor(page);
        while (true)   // restart:
        {
            var count = GetPkmapEntriesCount();
            bool found;   // assigned by the first pass of the scan
            int nr;
            do
            {
                nr = GetNextPkmapNr(color);
                var wrap = NoMorePkmaps(nr);
                if (Sim.IsControlled) Sim.Note(Colours == 1 ? $"last_pkmap_nr := {nr}{(wrap ? " (wrap)" : "")}" : $"last_pkmap_nr_arr[{color}] → slot {nr}{(wrap ? " (wrap)" : "")}");
                if (wrap)
                {
                    Machine.Counters.Add("pkmap.wraps");
                    FlushAllZeroPkmaps();
                    if (Variant != NoBudgetReset) count = GetPkmapEntriesCount();
                }
                found = ReadCount(nr) == 0;
            }
            while (!found && --count > 0);

            if (found)
            {
                Machine.Counters.Add("pkmap.new_slots");
                var va = Layout.PkmapAddr(nr);
                Tables.SetPteAt(va, page.Pfn);
                WriteCount(nr, 0, 1);
                if (Variant == SetPageAddressUnlocked)
                {
                    UnlockKmap();
                    PageAddresses.SetPageAddress(page, va);
                    LockKmap();
                }
                else
                {
                    PageAddresses.SetPageAddress(page, va);
                }
                return va;
            }

            if (SleepForFreeSlot(page) is var mapped && mapped != 0) return mapped;
        }
    }

    /// <summary>
    /// The sleeping half of map_new_virtual: returns the page's address if someone mapped it while we slept, or 0
    /// to rescan. Called and returns with kmap_lock held.
    /// </summary>
    private uint SleepForFreeSlot(PhysicalPage page)
    {
        var me = KernelTask.Current ?? throw new InvalidOperationException("map_new_virtual can only sleep on a kernel task");
        var color = GetPkmapColor(page);
        var pkmapMapWait = GetPkmapWaitQueueHead(color);
        CheckWaiterPrecondition(me, color, stateChecked: false);
        if (Sim.IsControlled) Sim.Note($"{me} finds no free slot for {page}: sleeps on {pkmapMapWait.Name}");
        if (Variant != EnqueueAfterUnlock) Enqueue(me, color);
        UnlockKmap();
        if (Variant == EnqueueAfterUnlock) Enqueue(me, color);
        Machine.Counters.Add("pkmap_map_wait.sleeps");
        me.Schedule();
        pkmapMapWait.Remove(me);
        LockKmap();
        if (Variant == NoRecheckAfterWake) return 0;
        return PageAddress(page);   // someone else may have mapped it meanwhile
    }

    private void Enqueue(KernelTask me, int color)
    {
        me.SetCurrentState(TaskState.Uninterruptible);
        // P8's state half holds at the instant of joining: checked just before add_wait_queue, when the task is on no
        // queue and nobody can wake it. Not after: once queued, a wake_up may already make it TASK_RUNNING — a kunmap_high
        // that saw an earlier sleeper (need_wakeup) calls wake_up after dropping kmap_lock, and wakes whoever is queued
        // by then (schedule() then returns at once and the task rescans, as in the kernel).
        CheckWaiterPrecondition(me, color, stateChecked: true);
        GetPkmapWaitQueueHead(color).Add(me);
    }

    /// <summary>
    /// P8: a task decides to sleep only when every slot (of its page's colour) is in use, and queues itself in
    /// TASK_UNINTERRUPTIBLE.
    /// </summary>
    private void CheckWaiterPrecondition(KernelTask me, int color, bool stateChecked)
    {
        if (stateChecked)
        {
            if (me.State != TaskState.Uninterruptible)
                Sim.Fail(BugKind.AssertionFailure, $"invariant P8 violated: {me} joins pkmap_map_wait in state {me.State}, not TASK_UNINTERRUPTIBLE");
            return;
        }
        for (var i = color; i < Layout.LastPkmap; i += Colours)
        {
            var c = PkmapCount(i);
            if (c < 2)
                Sim.Fail(BugKind.AssertionFailure,
                    $"invariant P8 violated: {me} goes to sleep on pkmap_map_wait although pkmap_count[{i}] is {c} " +
                    $"(pkmap_count = [{string.Join(", ", PkmapCounts())}], last_pkmap_nr {LastPkmapNr})");
        }
    }
}
