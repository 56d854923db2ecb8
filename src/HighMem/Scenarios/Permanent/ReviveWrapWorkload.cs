using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>
/// Task 0 kmaps, reads and kunmaps the shared page 0 over and over; every other task holds page 0 while it kmaps,
/// reads and kunmaps each other page in turn, then reads page 0 again through the address it held across them.
/// After page 0's first mapping only a task holding page 0 ever needs a new slot, so the hand wraps only while
/// page 0's count is at least 2: its slot survives every flush, and a later kmap of it while unused (count 1) revives
/// it. With the defaults (2 CPUs, LAST_PKMAP 4, 4 pages) nobody but the cycler moves the hand, so in every
/// interleaving its first operation fills slots 1–3 and wraps on page 3 with page 0 held (flushing pages 1 and 2),
/// and its second finds page 3 still lazily mapped in slot 0 and revives it (1 → 2) before any flush. A task waiting
/// for a slot holds only page 0, whose one slot every holder shares, so the pool cannot be exhausted (H9).
/// </summary>
internal static class ReviveWrapWorkload
{
    internal static void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        var shared = pages[0];
        if (task == 0)
        {
            PkmapClient.MapUseUnmap(model, shared, reads: 1);
            return;
        }
        var pkmap = model.Pkmap;
        var me = KernelTask.Current!;
        me.Activity = $"kmap {shared}";
        var va = PkmapClient.TimedKmap(model, shared);
        pkmap.ReadMapped(va, shared);
        for (var i = 1; i < pages.Count; i++) PkmapClient.MapUseUnmap(model, pages[i], reads: 1);
        me.Activity = $"holds {shared} across the wrap";
        pkmap.ReadMapped(va, shared);   // the flush and its TLB shootdown left the held slot alone
        me.Activity = $"kunmap {shared}";
        pkmap.Kunmap(shared);
        me.Activity = null;
    }
}
