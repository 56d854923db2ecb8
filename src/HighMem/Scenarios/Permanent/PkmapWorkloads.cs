using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>The plain pkmap workloads: each task's operation is one or two kmap → read → kunmap of a chosen page.</summary>
internal static class PkmapWorkloads
{
    /// <summary>
    /// Every task maps its own pages (no two tasks touch one page at a time): exercises slot allocation, the hand, the
    /// wrap-flush and lazy unmapping without sharing.
    /// </summary>
    internal static void DistinctPages(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var tasks = parameters.Cpus * parameters.TasksPerCpu;
        var pages = model.Memory.Pages;
        var page = pages[(task + op * tasks) % pages.Count];
        PkmapClient.MapUseUnmap(model, page, reads: 1, nested: () => pages[(page.Index + 1) % pages.Count]);
    }

    /// <summary>
    /// Every CPU hammers page 0 (revival 1→2, n→n+1, concurrent kmap of one page), interleaved with private pages that
    /// force wraps, so the shared page's slot is also flushed and re-created while others map it.
    /// </summary>
    internal static void SharedPage(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        var page = op % 2 == 0 ? pages[0] : pages[1 + (task + op / 2) % (pages.Count - 1)];
        PkmapClient.MapUseUnmap(model, page, reads: 1, nested: () => pages[0] == page ? pages[1] : pages[0]);
    }

    /// <summary>
    /// Fewer pkmap slots than CPUs mapping distinct pages at once: tasks must sleep on pkmap_map_wait and be woken by
    /// kunmap_high, and a woken task may find its page mapped by someone else meanwhile.
    /// </summary>
    internal static void FewSlots(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        var page = pages[(task + op) % pages.Count];
        PkmapClient.MapUseUnmap(model, page, reads: 1, nested: () => pages[(page.Index + 1) % pages.Count]);
    }

    /// <summary>
    /// Task 0 cycles through more pages than there are slots, wrapping the hand and flushing on almost every kmap,
    /// while the other CPUs map pages and read them repeatedly, so their TLBs cache pkmap translations that each flush
    /// must shoot down (IPIs answered at interrupt windows, while spinning, or asleep).
    /// </summary>
    internal static void WrapReaders(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        if (task == 0)
        {
            // The cycler: two fresh pages per operation, so the hand wraps and flushes.
            var first = pages[(2 * op) % pages.Count];
            var second = pages[(2 * op + 1) % pages.Count];
            PkmapClient.MapUseUnmap(model, first, reads: 1, nested: () => second);
            PkmapClient.MapUseUnmap(model, second, reads: 1, nested: () => first);
            return;
        }
        var page = pages[(pages.Count - task + op) % pages.Count];
        PkmapClient.MapUseUnmap(model, page, reads: 2, nested: () => pages[(page.Index + 1) % pages.Count]);
    }
    /// <summary>
    /// Task 0 is a graphics driver on CPU0: it fills one of its two pages through kmap (kmap, read, kunmap — the
    /// mapping stays), hands it to the device uncached (set_pages_array_uc) and takes it back (set_pages_array_wb).
    /// The other tasks map the remaining pages, so the hand sometimes wraps and flushes the driver's slot first.
    /// </summary>
    internal static void PatAlias(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        if (task == 0)
        {
            var page = pages[op % 2];
            PkmapClient.MapUseUnmap(model, page, reads: 1);
            model.PageAttr.SetPagesArrayUc(page);
            model.PageAttr.SetPagesArrayWb(page);
            return;
        }
        var other = pages[2 + (task + op) % (pages.Count - 2)];
        PkmapClient.MapUseUnmap(model, other, reads: 1);
    }
}
