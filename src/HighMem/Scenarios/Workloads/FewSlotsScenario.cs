namespace HighMemConcurrency.HighMem.Scenarios.Workloads;

/// <summary>
/// Fewer pkmap slots than CPUs mapping distinct pages at once: tasks must sleep on pkmap_map_wait and be woken by
/// kunmap_high, and a woken task may find its page mapped by someone else meanwhile.
/// </summary>
internal sealed class FewSlotsScenario() : PkmapScenario(
    "few-slots",
    "more CPUs than pkmap slots: sleeping on pkmap_map_wait, wake-up on the 2→1 transition, re-check after waking",
    new() { Cpus = 3, LastPkmap = 2, Pages = 4, OpsPerTask = 2 })
{
    internal override void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        var page = pages[(task + op) % pages.Count];
        MapUseUnmap(model, page, reads: 1, nested: () => pages[(page.Index + 1) % pages.Count]);
    }
}
