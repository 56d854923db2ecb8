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
/// each task hands the page it filled and kunmapped to a device — flush_dcache_page, then the device reads the frame
/// from memory (DMA). Four pkmap slots, two of each colour, so each colour's hand wraps and flush_all_zero_pkmaps
/// flushes the cache now and then.
/// </summary>
public sealed class ColourAliasScenario() : CacheAliasScenario(
    "colour-alias",
    "xtensa, aliasing VIPT data cache (2 colours), one CPU: two tasks fill pages through kmap, kunmap, flush_dcache_page and let a device read them (DMA); 4 pkmap slots, 4 pages")
{
    private const int LastPkmap = 4;
    private const int Colours = 2;

    /// <inheritdoc />
    protected override HighMemConfig Config(ScenarioParameters parameters) => new()
    {
        Layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmTypes.Classic, LastPkmap = LastPkmap, Arch = KernelArch.Xtensa },
        Frames = parameters.TasksPerCpu * PagesPerTask,
        Pkmap = new PkmapOptions { LastPkmap = LastPkmap, DcacheColours = Colours, Variant = VariantRegistry.Switch(parameters.Variant) },
        DcacheColours = Colours,
    };

    /// <inheritdoc />
    protected override Action<PhysicalPage, int, KernelTask> ReadBack(HighMemModel world, ScenarioParameters parameters, RunProbe? probe) =>
        (page, data, task) =>
        {
            world.Oracle.FlushDcachePage(task.Cpu, page.Pfn);   // before handing the page to the device
            world.Oracle.DeviceRead(page.Pfn, data, $"{task.Name}'s device");
        };
}
