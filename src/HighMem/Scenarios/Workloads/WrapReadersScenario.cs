namespace HighMemConcurrency.HighMem.Scenarios.Workloads;

/// <summary>
/// Task 0 cycles through more pages than there are slots, wrapping the hand and flushing on almost every kmap,
/// while the other CPUs map pages and read them repeatedly, so their TLBs cache pkmap translations that each flush
/// must shoot down (IPIs answered at interrupt windows, while spinning, or asleep).
/// </summary>
internal sealed class WrapReadersScenario() : PkmapScenario(
    "wrap-readers",
    "one CPU forces wraps and TLB shootdowns while readers on the other CPUs cache pkmap translations",
    new() { Cpus = 2, LastPkmap = 2, Pages = 4, OpsPerTask = 2 },
    minPages: 3)
{
    internal override void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        if (task == 0)
        {
            // The cycler: two fresh pages per operation, so the hand wraps and flushes.
            var first = pages[(2 * op) % pages.Count];
            var second = pages[(2 * op + 1) % pages.Count];
            MapUseUnmap(model, first, reads: 1, nested: () => second);
            MapUseUnmap(model, second, reads: 1, nested: () => first);
            return;
        }
        var page = pages[(pages.Count - task + op) % pages.Count];
        MapUseUnmap(model, page, reads: 2, nested: () => pages[(page.Index + 1) % pages.Count]);
    }
}
