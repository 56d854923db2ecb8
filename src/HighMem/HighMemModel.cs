using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem;

/// <summary>
/// One run's world: the machine, its highmem pages and the pkmap model on them. Create one per iteration (or per
/// stress run); nothing is shared between runs.
/// </summary>
public sealed class HighMemModel
{
    private HighMemModel(Machine machine, MemoryOracle oracle, Pkmap.Pkmap pkmap)
    {
        Machine = machine;
        Oracle = oracle;
        Pkmap = pkmap;
    }

    /// <summary>The simulated machine.</summary>
    public Machine Machine { get; }

    /// <summary>The address layout (spec §0).</summary>
    public AddressLayout Layout => Oracle.Layout;

    /// <summary>The highmem pages.</summary>
    public PhysicalMemory Memory => Oracle.Memory;

    /// <summary>The checked read through kernel addresses.</summary>
    public MemoryOracle Oracle { get; }

    /// <summary>The permanent-mapping model.</summary>
    public Pkmap.Pkmap Pkmap { get; }

    /// <summary>
    /// Receives the duration of each workload kmap (task, nanoseconds) when set — by native stress runs; it is
    /// null under test, where wall-clock time means nothing.
    /// </summary>
    public Action<KernelTask, long>? KmapLatencyObserver { get; set; }

    /// <summary>The variant switches in force.</summary>
    public VariantSwitches Switches => Pkmap.Switches;

    /// <summary>
    /// Builds a model: <paramref name="cpus"/> CPUs, <paramref name="pages"/> highmem pages, and pkmap as
    /// <paramref name="options"/> says. ARCH_NEEDS_KMAP_HIGH_GET machines use broadcast TLB maintenance (ARMv7),
    /// the others IPIs (x86).
    /// </summary>
    public static HighMemModel Create(int cpus, int pages, PkmapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new AddressLayout { NrCpus = cpus, LastPkmap = options.LastPkmap };
        var machine = new Machine(new MachineConfig
        {
            Cpus = cpus,
            TlbFlush = options.ArchNeedsKmapHighGet ? TlbFlushMode.Broadcast : TlbFlushMode.Ipi,
        });
        var oracle = new MemoryOracle(layout, new PhysicalMemory(layout.MaxLowPfn, pages));
        return new HighMemModel(machine, oracle, new Pkmap.Pkmap(machine, oracle, options));
    }
}
