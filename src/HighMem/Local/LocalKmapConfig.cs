using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Local;

/// <summary>How kmap_local (5.11+) of one run behaves. Immutable.</summary>
public sealed record LocalKmapConfig
{
    /// <summary>KM_MAX_IDX: per-task stack size and per-CPU window width (16 in the kernel; 4–5 in tests).</summary>
    public int KmMaxIdx { get; init; } = 5;

    /// <summary>
    /// CONFIG_DEBUG_KMAP_LOCAL: KM_INCR = 2, so every even stack position is an unused guard slot whose pteval stays
    /// 0 and whose PTE stays empty (spec §5 item 23).
    /// </summary>
    public bool DebugKmapLocal { get; init; }

    /// <summary>
    /// CONFIG_DEBUG_HIGHMEM, which selects DEBUG_KMAP_LOCAL but is not selected by it (a DEBUG_KMAP_LOCAL_FORCE_MAP
    /// build may lack it). Only variant <c>guard-test-debug-highmem</c> reads it, where the code once did.
    /// </summary>
    public bool DebugHighmem { get; init; }

    /// <summary>KM_INCR: stack positions per mapping.</summary>
    public int KmIncr => DebugKmapLocal ? 2 : 1;

    /// <summary>The bug variant switched on (<see cref="VariantRegistry"/>), or null for the correct model.</summary>
    public BugVariant? Variant { get; init; }
}
