using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>The two historical implementations of the typed kmap_atomic (spec §2.2).</summary>
public enum AtomicClearMode
{
    /// <summary>i386 2.6.11: the PTE is left in place at unmap (non-debug); the next map overwrites it and flushes.</summary>
    Lazy,

    /// <summary>i386/x86 2.6.2x–2.6.36: unmap clears and flushes; map checks <c>BUG_ON(!pte_none)</c>.</summary>
    Eager,
}

/// <summary>How the typed kmap_atomic of one run behaves. Immutable.</summary>
public sealed record TypedAtomicConfig
{
    /// <summary>Lazy- or eager-clear implementation.</summary>
    public AtomicClearMode Mode { get; init; } = AtomicClearMode.Eager;

    /// <summary>CONFIG_DEBUG_HIGHMEM: the lazy flavour checks the PTE at map, the address at unmap, and clears at unmap.</summary>
    public bool DebugHighmem { get; init; }

    /// <summary>debug_kmap_atomic (≈2.6.27+, eager flavour): the legality rules of §2.3 warn on a wrong type.</summary>
    public bool DebugKmapAtomic { get; init; }

    /// <summary>The bug variant switched on (<see cref="VariantRegistry"/>), or null for the correct model.</summary>
    public BugVariant? Variant { get; init; }

    /// <summary>KM_TYPE_NR: the window width (13, or 16 with the NMI types).</summary>
    public int KmTypeNr { get; init; } = KmTypes.WithNmi;
}
