using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// xtensa with an aliasing VIPT data cache of 2 colours and colour-aware kmap (15de36a4c3cf; one CPU, so one cache):
/// two tasks share the CPU, each filling its own two highmem pages in turn for a device — kmap, write, kunmap (the
/// mapping and its dirty line stay), flush_dcache_page, then the device reads the frame from memory (DMA). Four pkmap
/// slots, two of each colour, so each colour's hand wraps and flush_all_zero_pkmaps flushes the cache now and then.
/// </summary>
public sealed class ColourAliasScenario() : TemporaryScenario(
    "colour-alias",
    "xtensa, aliasing VIPT data cache (2 colours), one CPU: two tasks fill pages through kmap, kunmap, flush_dcache_page and let a device read them (DMA); 4 pkmap slots, 4 pages",
    tasksPerCpu: 2, fixedTasks: true, cpus: 1, minCpus: 1, maxCpus: 1)
{
    private const int LastPkmap = 4;
    private const int Colours = 2;
    private const int PagesPerTask = 2;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmTypes.Classic, LastPkmap = LastPkmap, Arch = KernelArch.Xtensa };
        var world = HighMemModel.Create(new HighMemConfig
        {
            Layout = layout,
            Frames = parameters.TasksPerCpu * PagesPerTask,
            Pkmap = new PkmapOptions { LastPkmap = LastPkmap, DcacheColours = Colours, Variant = VariantRegistry.Switch(parameters.Variant) },
            DcacheColours = Colours,
        });
        probe?.BeginRound(world.Machine);
        var pkmap = world.Pkmap;

        world.Machine.StartTasks("driver", parameters.TasksPerCpu, index =>
        {
            var task = KernelTask.Current!;
            for (var op = 0; More(probe, parameters, op); op++)
            {
                var page = world.Memory.Pages[index * PagesPerTask + op % PagesPerTask];
                var data = PageContent.Tag(index + 1, op);
                var va = Map(probe, () => pkmap.Kmap(page));
                world.Oracle.Write(task.Cpu, va, data, task.Name);
                pkmap.Kunmap(page);
                world.Oracle.FlushDcachePage(task.Cpu, page.Pfn);   // before handing the page to the device
                world.Oracle.DeviceRead(page.Pfn, data, $"{task.Name}'s device");
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe, parameters.TasksPerCpu);
    }
}
