using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Pkmap;

/// <summary>The configuration of the permanent-mapping model. Immutable.</summary>
public sealed record PkmapOptions
{
    /// <summary>LAST_PKMAP (1024 without PAE, 512 with; 2–8 in tests).</summary>
    public int LastPkmap { get; init; } = 1024;

    /// <summary>Buckets of page_address_htable (128 in the kernel; few in tests so pages share buckets).</summary>
    public int HashBuckets { get; init; } = 128;

    /// <summary>
    /// ARCH_NEEDS_KMAP_HIGH_GET (ARM): every kmap_lock holder disables local IRQs and kmap_high_get() may be used from
    /// interrupts. Such machines must use broadcast TLB maintenance, not IPIs (spec §1.9).
    /// </summary>
    public bool ArchNeedsKmapHighGet { get; init; }

    /// <summary>
    /// DCACHE_N_COLORS of an aliasing data cache whose kmap is colour-aware (xtensa, MIPS since 15de36a4c3cf): a page
    /// is mapped only at pkmap slots of its own colour, each colour with its own hand (last_pkmap_nr_arr) and wait
    /// queue (pkmap_map_wait_arr). 1 (the default): the generic hooks, one hand, one queue. A power of two dividing
    /// LAST_PKMAP.
    /// </summary>
    public int DcacheColours { get; init; } = 1;

    /// <summary>The bug variant switched on (<see cref="VariantRegistry"/>), or null for the correct model.</summary>
    public BugVariant? Variant { get; init; }

    /// <summary>Check invariants P1–P7 at every kmap_lock release (always under test; natively costly).</summary>
    public bool CheckInvariantsOnUnlock { get; init; } = true;
}
