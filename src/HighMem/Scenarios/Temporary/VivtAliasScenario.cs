using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// ARM with a VIVT data cache (ARCH_NEEDS_KMAP_HIGH_GET; one CPU, as VIVT caches are uniprocessor ARMv4/v5): two tasks
/// share the CPU, each filling its own two highmem pages in turn through kmap — write, kunmap, which keeps the
/// mapping and its dirty cache line — and then reading the page back the way a driver's copy or checksum does, through
/// kmap_atomic(page, KM_USER0). Two pkmap slots for four pages, so the pool wraps and flush_all_zero_pkmaps flushes
/// the cache (flush_cache_kmaps) between some of them; the tasks may be preempted between any two steps outside the
/// atomic section.
/// </summary>
public sealed class VivtAliasScenario() : TemporaryScenario(
    "vivt-alias",
    "ARM, VIVT data cache, one CPU: two tasks each write a page through kmap, kunmap it (lazily kept, dirty in the cache) and read it back through kmap_atomic; 2 pkmap slots, 4 pages",
    tasksPerCpu: 2, fixedTasks: true, cpus: 1, minCpus: 1, maxCpus: 1)
{
    private const int LastPkmap = 2;
    private const int PagesPerTask = 2;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var layout = new AddressLayout
        {
            NrCpus = parameters.Cpus, KmapWindow = KmTypes.Classic, LastPkmap = LastPkmap,
            Arch = KernelArch.Arm, FixmapsBeforeKmap = 1, FixmapsAfterKmap = 2,
        };
        var world = HighMemModel.Create(new HighMemConfig
        {
            Layout = layout,
            Frames = parameters.TasksPerCpu * PagesPerTask,
            Pkmap = new PkmapOptions { LastPkmap = LastPkmap, ArchNeedsKmapHighGet = true },
            VivtDataCaches = true,
        });
        probe?.BeginRound(world.Machine);
        var kmap = new ArmKmapAtomic(world.Windows, world.Pkmap, world.Pagefaults, VariantRegistry.Switch(parameters.Variant));
        var pkmap = world.Pkmap;

        world.Machine.StartTasks("fs", parameters.TasksPerCpu, index =>
        {
            var task = KernelTask.Current!;
            for (var op = 0; More(probe, parameters, op); op++)
            {
                var page = world.Memory.Pages[index * PagesPerTask + op % PagesPerTask];
                var data = PageContent.Tag(index + 1, op);
                var va = Map(probe, () => pkmap.Kmap(page));
                world.Oracle.Write(task.Cpu, va, data, task.Name);
                pkmap.Kunmap(page);
                var check = Map(probe, () => kmap.KmapAtomic(page, KmType.KM_USER0));
                world.Oracle.ReadExpect(task.Cpu, check, page.Pfn, data, task.Name);
                kmap.KunmapAtomic(check, KmType.KM_USER0);
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe, parameters.TasksPerCpu);
    }
}
