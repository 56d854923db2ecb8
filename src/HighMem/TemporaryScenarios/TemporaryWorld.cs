using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>
/// Everything one run of a temporary-mapping scenario needs: the machine, the layout, page tables, memory, the
/// content oracle, interrupt injection and the kmap windows. Built fresh per run (per iteration under test).
/// </summary>
public sealed class TemporaryWorld
{
    private TemporaryWorld(Machine machine, AddressLayout layout, KernelPageTables tables)
    {
        Machine = machine;
        Layout = layout;
        Tables = tables;
        Memory = new PhysicalMemory(layout.MaxLowPfn, Math.Max(64, tables.VmallocPages * 2));
        Oracle = new MemoryOracle(layout, Memory);
        Windows = new KmapWindows(tables);
        var (fixBase, fixPages) = tables.FixmapTlbWindow;
        machine.MapKernelRange("fixmap", fixBase, fixPages, tables.Walk);
        if (tables.VmallocPages > 0)
        {
            var (vmBase, vmPages) = tables.VmallocTlbWindow;
            machine.MapKernelRange("vmalloc", vmBase, vmPages, tables.Walk);
        }
    }

    /// <summary>The machine.</summary>
    public Machine Machine { get; }

    /// <summary>The address layout.</summary>
    public AddressLayout Layout { get; }

    /// <summary>The fixmap and vmalloc PTEs.</summary>
    public KernelPageTables Tables { get; }

    /// <summary>Physical page contents.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>Checked accesses through virtual addresses.</summary>
    public MemoryOracle Oracle { get; }

    /// <summary>Softirq/NMI/hardirq delivery at the model's interrupt points.</summary>
    public InterruptInjector Interrupts => Machine.Interrupts;

    /// <summary>The per-CPU kmap windows.</summary>
    public KmapWindows Windows { get; }

    /// <summary>current-&gt;pagefault_disabled.</summary>
    public PagefaultState Pagefaults { get; } = new();

    /// <summary>The frame number of highmem page <paramref name="n"/> (the first frames above max_low_pfn).</summary>
    public int HighPage(int n) => Layout.MaxLowPfn + n;

    /// <summary>
    /// Builds a world whose TLBs model the fixmap and, with <paramref name="vmallocPages"/> &gt; 0, the vmalloc arena too.
    /// </summary>
    public static TemporaryWorld Create(AddressLayout layout, bool allowMigration, int vmallocPages = 0, int irqFireChoices = 2)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var tables = new KernelPageTables(layout, vmallocPages);
        var machine = new Machine(new MachineConfig
        {
            Cpus = layout.NrCpus,
            AllowMigration = allowMigration,
            IrqFireChoices = irqFireChoices,
        });
        return new TemporaryWorld(machine, layout, tables);
    }
}
