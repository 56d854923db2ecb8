namespace HighMemConcurrency.HighMem.Scenarios.Workloads;

/// <summary>
/// Every task maps its own pages (no two tasks touch one page at a time): exercises slot allocation, the hand, the
/// wrap-flush and lazy unmapping without sharing.
/// </summary>
internal sealed class DistinctPagesScenario() : PkmapScenario(
    "distinct-pages",
    "each task kmaps, reads and kunmaps its own pages: slot allocation, hand, wrap-flush, lazy unmap",
    new() { Cpus = 2, LastPkmap = 4, Pages = 4, OpsPerTask = 2 })
{
    internal override void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var tasks = parameters.Cpus * parameters.TasksPerCpu;
        var pages = model.Memory.Pages;
        var page = pages[(task + op * tasks) % pages.Count];
        MapUseUnmap(model, page, reads: 1, nested: () => pages[(page.Index + 1) % pages.Count]);
    }
}
