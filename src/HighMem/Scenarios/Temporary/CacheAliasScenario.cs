using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// The shape of the data-cache scenarios (one CPU, whose cache is the one that matters; two tasks sharing it): each task
/// fills its own two highmem pages in turn through kmap — write, then kunmap, which keeps the mapping and its dirty
/// line — and then reads the page back another way, which the subclass says (<see cref="ReadBack"/>). The subclass also
/// builds the world (<see cref="Config"/>): its cache and its pkmap.
/// </summary>
/// <param name="name">Kebab-case name.</param>
/// <param name="description">One line: what the workload does.</param>
public abstract class CacheAliasScenario(string name, string description)
    : TemporaryScenario(name, description, tasksPerCpu: 2, fixedTasks: true, cpus: 1, minCpus: 1, maxCpus: 1)
{
    /// <summary>Pages each task fills in turn.</summary>
    protected const int PagesPerTask = 2;

    /// <summary>The world of one run: the layout, <c>tasks × PagesPerTask</c> frames, pkmap and the data cache.</summary>
    protected abstract HighMemConfig Config(ScenarioParameters parameters);

    /// <summary>
    /// How a task of <paramref name="world"/> reads back a page it filled (with the data given) and kunmapped; built
    /// once per run (e.g. around a kmap_atomic of that run).
    /// </summary>
    protected abstract Action<PhysicalPage, int, KernelTask> ReadBack(HighMemModel world, ScenarioParameters parameters, RunProbe? probe);

    /// <inheritdoc />
    public sealed override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var world = HighMemModel.Create(Config(parameters));
        probe?.BeginRound(world.Machine);
        var readBack = ReadBack(world, parameters, probe);
        var pkmap = world.Pkmap;

        world.Machine.StartTasks("task", parameters.TasksPerCpu, index =>
        {
            var task = KernelTask.Current!;
            for (var op = 0; More(probe, parameters, op); op++)
            {
                var page = world.Memory.Pages[index * PagesPerTask + op % PagesPerTask];
                var data = PageContent.Tag(index + 1, op);
                var va = Map(probe, () => pkmap.Kmap(page));
                world.Oracle.Write(task.Cpu, va, data, task.Name);
                pkmap.Kunmap(page);
                readBack(page, data, task);
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe, parameters.TasksPerCpu);
    }
}
