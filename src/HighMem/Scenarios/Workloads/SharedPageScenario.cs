namespace HighMemConcurrency.HighMem.Scenarios.Workloads;

/// <summary>
/// Every CPU hammers page 0 (revival 1→2, n→n+1, concurrent kmap of one page), interleaved with private pages that
/// force wraps, so the shared page's slot is also flushed and re-created while others map it.
/// </summary>
internal sealed class SharedPageScenario() : PkmapScenario(
    "shared-page",
    "all CPUs kmap one shared page, between private pages that force wraps: revival, refcounts, flush of a shared slot",
    new() { Cpus = 2, LastPkmap = 2, Pages = 3, OpsPerTask = 3 },
    minPages: 2)
{
    internal override void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        var page = op % 2 == 0 ? pages[0] : pages[1 + (task + op / 2) % (pages.Count - 1)];
        MapUseUnmap(model, page, reads: 1, nested: () => pages[0] == page ? pages[1] : pages[0]);
    }
}
