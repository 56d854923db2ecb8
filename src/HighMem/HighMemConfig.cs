using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Pkmap;

namespace HighMemConcurrency.HighMem;

/// <summary>What one <see cref="HighMemModel"/> hosts. Immutable.</summary>
public sealed record HighMemConfig
{
    /// <summary>The address layout (spec §0); NR_CPUS is the machine's CPU count.</summary>
    public AddressLayout Layout { get; init; } = new();

    /// <summary>Modelled highmem frames, from max_low_pfn (the pkmap workloads' pages; the temporary ones' fixed frames).</summary>
    public int Frames { get; init; } = 64;

    /// <summary>The permanent mappings, or null for a model without them. Its LAST_PKMAP must equal the layout's.</summary>
    public PkmapOptions? Pkmap { get; init; }

    /// <summary>Pages of the modelled vmalloc arena at VMALLOC_START (0: none).</summary>
    public int VmallocPages { get; init; }

    /// <summary>Whether tasks may migrate between CPUs (see <c>MachineConfig.AllowMigration</c>).</summary>
    public bool AllowMigration { get; init; }

    /// <summary>
    /// Whether each CPU reads and writes kernel virtual addresses through a VIVT data cache (ARMv4/v5, spec H5;
    /// <see cref="Memory.DataCache"/>). Off: the caches are not modelled (x86, VIPT ARM) unless <see cref="DcacheColours"/> says so.
    /// </summary>
    public bool VivtDataCaches { get; init; }

    /// <summary>
    /// DCACHE_N_COLORS of an aliasing VIPT data cache per CPU (xtensa, MIPS; a power of two ≥ 2), or 0 for none.
    /// Not together with <see cref="VivtDataCaches"/>.
    /// </summary>
    public int DcacheColours { get; init; }

    /// <summary>A pending device interrupt fires with probability 1/this at a point where it can (see <c>MachineConfig.IrqFireChoices</c>).</summary>
    public int IrqFireChoices { get; init; } = 2;
}
