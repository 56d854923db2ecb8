using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>How the classic vmalloc area of one run behaves. Immutable.</summary>
public sealed record VmallocConfig
{
    /// <summary>Pages of the modelled arena, from VMALLOC_START (the kernel's range is far larger).</summary>
    public int ArenaPages { get; init; } = 16;

    /// <summary>The bug variant switched on (<see cref="VariantRegistry"/>), or null for the correct model.</summary>
    public BugVariant? Variant { get; init; }
}
