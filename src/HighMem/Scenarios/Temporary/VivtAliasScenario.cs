using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// ARM with a VIVT data cache (ARCH_NEEDS_KMAP_HIGH_GET; one CPU, as VIVT caches are uniprocessor ARMv4/v5): each task
/// reads the page it filled and kunmapped back the way a driver's copy or checksum does, through kmap_atomic(page,
/// KM_USER0), and then a page of its own that was never kmapped, through the same fixmap slot. Two pkmap slots for four
/// kmapped pages, so the pool wraps and flush_all_zero_pkmaps flushes the cache
/// (flush_cache_kmaps) between some of them; the tasks may be preempted between any two steps outside the atomic section.
/// </summary>
public sealed class VivtAliasScenario() : CacheAliasScenario(
    "vivt-alias",
    "ARM, VIVT data cache, one CPU: two tasks each write a page through kmap, kunmap it (lazily kept, dirty in the cache) and read it back through kmap_atomic; 2 pkmap slots, 4 pages")
{
    private const int LastPkmap = 2;

    /// <inheritdoc />
    protected override HighMemConfig Config(ScenarioParameters parameters) => new()
    {
        Layout = new AddressLayout
        {
            NrCpus = parameters.Cpus, KmapWindow = KmTypes.Classic, LastPkmap = LastPkmap,
            Arch = KernelArch.Arm, FixmapsBeforeKmap = 1, FixmapsAfterKmap = 2,
        },
        Frames = parameters.TasksPerCpu * (PagesPerTask + 1),   // and one page per task only ever read through kmap_atomic
        Pkmap = new PkmapOptions { LastPkmap = LastPkmap, ArchNeedsKmapHighGet = true },
        VivtDataCaches = true,
    };

    /// <inheritdoc />
    protected override Action<PhysicalPage, int, KernelTask> ReadBack(HighMemModel world, ScenarioParameters parameters, RunProbe? probe)
    {
        var kmap = new ArmKmapAtomic(world.Windows, world.Pkmap, world.Pagefaults, VariantRegistry.Switch(parameters.Variant));
        void Check(PhysicalPage page, int data, KernelTask task)
        {
            var va = Map(probe, () => kmap.KmapAtomic(page, KmType.KM_USER0));
            world.Oracle.ReadExpect(task.Cpu, va, page.Pfn, data, task.Name);
            kmap.KunmapAtomic(va, KmType.KM_USER0);
        }

        return (page, data, task) =>
        {
            Check(page, data, task);
            // Most kmap_atomic users map a page nobody kmapped: the fixmap slot, whose cache line of the previous page
            // kunmap_atomic must have flushed.
            var untouched = world.Memory.Pages[parameters.TasksPerCpu * PagesPerTask + task.Index];
            Check(untouched, untouched.Read(0), task);
        };
    }
}
