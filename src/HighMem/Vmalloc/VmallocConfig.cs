namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>How the classic vmalloc area of one run behaves. Immutable.</summary>
public sealed record VmallocConfig
{
    /// <summary>Pages of the modelled arena, from VMALLOC_START (the kernel's range is far larger).</summary>
    public int ArenaPages { get; init; } = 16;

    /// <summary>Bug variant <c>vmlist-unlocked-insert</c>.</summary>
    public bool UnlockedInsert { get; init; }

    /// <summary>Bug variant <c>vfree-pages-before-flush</c>.</summary>
    public bool FreePagesBeforeFlush { get; init; }
}
