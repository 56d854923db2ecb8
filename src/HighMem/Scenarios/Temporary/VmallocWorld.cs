using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Vmalloc;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// The machine the vmalloc scenarios share: no migration, one kmap slot per CPU, an arena of the pages they ask for
/// at VMALLOC_START, a pool of highmem pages behind it, and the run's variant switched on in vmalloc.
/// </summary>
/// <param name="World">The model.</param>
/// <param name="Pool">The page allocator behind vmalloc.</param>
/// <param name="Vm">vmalloc, vmap, ioremap and their unmaps.</param>
internal sealed record VmallocWorld(HighMemModel World, PageAllocator Pool, VmallocArea Vm)
{
    /// <summary>A fresh vmalloc machine for one run (its round begun on <paramref name="probe"/>, natively).</summary>
    public static VmallocWorld Create(ScenarioParameters parameters, RunProbe? probe, int arenaPages, int poolPages)
    {
        var layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = 1 };
        var world = HighMemModel.Create(new HighMemConfig { Layout = layout, AllowMigration = false, VmallocPages = arenaPages });
        probe?.BeginRound(world.Machine);
        var config = new VmallocConfig { ArenaPages = arenaPages, Variant = VariantRegistry.Switch(parameters.Variant) };
        var pool = new PageAllocator(world.Machine, world.Memory, world.HighPage(0), poolPages);
        return new VmallocWorld(world, pool, new VmallocArea(config, world.Machine, world.Tables, world.Memory, world.Oracle, pool));
    }

    /// <summary>A device frame for ioremap: in the PCI hole, above the machine's RAM.</summary>
    public long DeviceFrame => (long)World.Layout.TotalPages + 16;
}
