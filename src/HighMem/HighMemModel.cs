using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem;

/// <summary>
/// One run's world on one machine: the address layout, physical memory and its checked read, the kernel page
/// tables (the fixmap with every CPU's kmap window, the vmalloc arena and — when configured — the pkmap window, each
/// range mapped into the machine's TLBs) and the pkmap model, so pkmap, kmap_atomic, kmap_local and vmalloc can run
/// on one machine at once. Create one per iteration (or per stress run); nothing is shared between runs.
/// </summary>
public sealed class HighMemModel
{
    private readonly Pkmap.Pkmap? _pkmap;
    private readonly PageAttr? _pageAttr;

    private HighMemModel(HighMemConfig config)
    {
        var layout = config.Layout ?? throw new ArgumentNullException(nameof(config));
        layout.CheckMemInitBoundaries();   // boot: mem_init() BUGs on a layout whose regions overlap
        if (layout.CheckOrdering() is { } disorder)   // and the model's own layout (spec §0), checked at every boot as well
            throw new InvalidOperationException($"the address layout breaks spec §0: {disorder}");
        Machine = new Machine(new MachineConfig
        {
            Cpus = layout.NrCpus,
            TlbFlush = config.Pkmap?.ArchNeedsKmapHighGet == true ? TlbFlushMode.Broadcast : TlbFlushMode.Ipi,
            AllowMigration = config.AllowMigration,
            IrqFireChoices = config.IrqFireChoices,
        });
        if (config.VivtDataCaches && config.DcacheColours != 0)
            throw new ArgumentException("a data cache is either VIVT or aliasing VIPT, not both", nameof(config));
        var caches = config.VivtDataCaches || config.DcacheColours != 0 ? layout.NrCpus : 0;
        Oracle = new MemoryOracle(layout, new PhysicalMemory(layout.MaxLowPfn, config.Frames), caches, config.DcacheColours);
        if (config.Pkmap is { } options && options.LastPkmap != layout.LastPkmap)
            throw new ArgumentException($"LAST_PKMAP is {options.LastPkmap} in the pkmap options but {layout.LastPkmap} in the layout", nameof(config));
        Tables = new KernelPageTables(Machine, layout, config.VmallocPages, pkmap: config.Pkmap is not null);
        Windows = new KmapWindows(Tables);
        if (config.Pkmap is { } pkmap)
        {
            _pkmap = new Pkmap.Pkmap(Machine, Oracle, Tables, pkmap);
            _pageAttr = new PageAttr(_pkmap);
        }
    }

    /// <summary>The simulated machine.</summary>
    public Machine Machine { get; }

    /// <summary>The address layout (spec §0).</summary>
    public AddressLayout Layout => Oracle.Layout;

    /// <summary>The modelled highmem pages.</summary>
    public PhysicalMemory Memory => Oracle.Memory;

    /// <summary>The checked read through kernel addresses.</summary>
    public MemoryOracle Oracle { get; }

    /// <summary>init_mm's kernel page tables: the pkmap, fixmap and vmalloc PTEs.</summary>
    public KernelPageTables Tables { get; }

    /// <summary>The per-CPU kmap windows.</summary>
    public KmapWindows Windows { get; }

    /// <summary>Softirq/NMI/hardirq delivery at the model's interrupt points.</summary>
    public InterruptInjector Interrupts => Machine.Interrupts;

    /// <summary>current-&gt;pagefault_disabled.</summary>
    public PagefaultState Pagefaults { get; } = new();

    /// <summary>The permanent-mapping model; throws for a model configured without it.</summary>
    public Pkmap.Pkmap Pkmap => _pkmap ?? throw new InvalidOperationException("this model was built without the permanent mappings (HighMemConfig.Pkmap)");

    /// <summary>x86 PAT's page attribute changes on the pkmap model's pages; throws for a model built without pkmap.</summary>
    public PageAttr PageAttr => _pageAttr ?? throw new InvalidOperationException("this model was built without the permanent mappings (HighMemConfig.Pkmap)");

    /// <summary>
    /// Receives the duration of each workload kmap (task, nanoseconds) when set — by native stress runs; it is
    /// null under test, where wall-clock time means nothing.
    /// </summary>
    public Action<KernelTask, long>? KmapLatencyObserver { get; set; }

    /// <summary>The frame number of highmem page <paramref name="n"/> (the first frames above max_low_pfn).</summary>
    public int HighPage(int n) => Layout.MaxLowPfn + n;

    /// <summary>Builds a model as <paramref name="config"/> says.</summary>
    public static HighMemModel Create(HighMemConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new HighMemModel(config);
    }

    /// <summary>
    /// Builds a pkmap model: <paramref name="cpus"/> CPUs, <paramref name="pages"/> highmem pages, and pkmap as
    /// <paramref name="options"/> says. ARCH_NEEDS_KMAP_HIGH_GET machines use broadcast TLB maintenance (ARMv7),
    /// the others IPIs (x86).
    /// </summary>
    public static HighMemModel Create(int cpus, int pages, PkmapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HighMemModel(new HighMemConfig
        {
            Layout = new AddressLayout { NrCpus = cpus, LastPkmap = options.LastPkmap },
            Frames = pages,
            Pkmap = options,
        });
    }
}
