using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>How the stack-based kmap_atomic (2.6.37–5.10) of one run behaves. Immutable.</summary>
public sealed record StackAtomicConfig
{
    /// <summary>KM_TYPE_NR: now only the per-CPU depth limit and window width (20 by default in the kernel; 3–4 in tests).</summary>
    public int KmTypeNr { get; init; } = 4;

    /// <summary>
    /// CONFIG_DEBUG_HIGHMEM: the depth BUG_ON and the nestable-IRQ warning in push, the LIFO warning in unmap, and
    /// the BUG for an unmap of an address that is neither a kmap slot nor lowmem.
    /// </summary>
    public bool DebugHighmem { get; init; }

    /// <summary>The bug variant switched on (<see cref="VariantRegistry"/>), or null for the correct model.</summary>
    public BugVariant? Variant { get; init; }
}
