namespace HighMemConcurrency.HighMem.Variants;

/// <summary>
/// The bug-variant switches of one run; all off is the correct model. Each switch changes only the line(s) the
/// historic mistake changed (spec §4); <see cref="Scenarios.Catalog.Variants"/> documents each one and the bug it produces.
/// </summary>
public sealed record VariantSwitches
{
    /// <summary>H14 i: map_new_virtual sets TASK_UNINTERRUPTIBLE and joins pkmap_map_wait after unlock_kmap().</summary>
    public bool EnqueueAfterUnlock { get; init; }

    /// <summary>H14 ii: kunmap_high samples waitqueue_active() without kmap_lock.</summary>
    public bool WakeCheckOutsideLock { get; init; }

    /// <summary>H14 iii: kunmap_high wakes sleepers when a count reaches 0 (never) instead of 1.</summary>
    public bool WakeOnZero { get; init; }

    /// <summary>H14 iv: after waking, map_new_virtual restarts without re-checking page_address().</summary>
    public bool NoRecheckAfterWake { get; init; }

    /// <summary>H14 v: the budget is not reset after the wrap-flush.</summary>
    public bool NoBudgetReset { get; init; }

    /// <summary>flush_all_zero_pkmaps clears PTEs but never calls flush_tlb_kernel_range.</summary>
    public bool SkipTlbFlush { get; init; }

    /// <summary>H3b: kmap_lock is dropped around flush_tlb_kernel_range.</summary>
    public bool DropLockAroundFlush { get; init; }

    /// <summary>H3: lock_kmap() disables IRQs (ARM's spin_lock_irq) while the TLB flush waits for IPIs.</summary>
    public bool IrqOffLockIpiFlush { get; init; }

    /// <summary>H4: a user of page_address() relies on the address without pinning the slot (kmap_high_get).</summary>
    public bool UnpinnedPageAddress { get; init; }

    /// <summary>H13: set_page_address() is called without kmap_lock.</summary>
    public bool SetPageAddressUnlocked { get; init; }

    /// <summary>H15: a client calls kunmap twice for one kmap.</summary>
    public bool DoubleKunmap { get; init; }

    /// <summary>kmap() (which may sleep) is called from an interrupt handler.</summary>
    public bool KmapFromIrq { get; init; }

    /// <summary>H9: a client holds one kmap while it asks for another.</summary>
    public bool NestedKmap { get; init; }

    /// <summary>The correct model.</summary>
    public static VariantSwitches None { get; } = new();

    /// <summary>The switches for variant <paramref name="name"/> (<c>none</c> = correct model); throws for an unknown name.</summary>
    public static VariantSwitches For(string name) => name switch
    {
        "none" => None,
        VariantNames.EnqueueAfterUnlock => new() { EnqueueAfterUnlock = true },
        VariantNames.WakeCheckOutsideLock => new() { WakeCheckOutsideLock = true },
        VariantNames.WakeOnZero => new() { WakeOnZero = true },
        VariantNames.NoRecheckAfterWake => new() { NoRecheckAfterWake = true },
        VariantNames.NoBudgetReset => new() { NoBudgetReset = true },
        VariantNames.SkipTlbFlush => new() { SkipTlbFlush = true },
        VariantNames.DropLockAroundFlush => new() { DropLockAroundFlush = true },
        VariantNames.IrqOffLockIpiFlush => new() { IrqOffLockIpiFlush = true },
        VariantNames.UnpinnedPageAddress => new() { UnpinnedPageAddress = true },
        VariantNames.SetPageAddressUnlocked => new() { SetPageAddressUnlocked = true },
        VariantNames.DoubleKunmap => new() { DoubleKunmap = true },
        VariantNames.KmapFromIrq => new() { KmapFromIrq = true },
        VariantNames.NestedKmap => new() { NestedKmap = true },
        _ => throw new ArgumentException($"unknown variant '{name}'", nameof(name)),
    };
}

/// <summary>The variants' switch names (kebab-case, as the CLI takes them).</summary>
public static class VariantNames
{
    /// <summary>H14 i.</summary>
    public const string EnqueueAfterUnlock = "enqueue-after-unlock";
    /// <summary>H14 ii.</summary>
    public const string WakeCheckOutsideLock = "wake-check-outside-lock";
    /// <summary>H14 iii.</summary>
    public const string WakeOnZero = "wake-on-zero";
    /// <summary>H14 iv.</summary>
    public const string NoRecheckAfterWake = "no-recheck-after-wake";
    /// <summary>H14 v.</summary>
    public const string NoBudgetReset = "no-budget-reset";
    /// <summary>Missing TLB shootdown.</summary>
    public const string SkipTlbFlush = "skip-tlb-flush";
    /// <summary>H3b.</summary>
    public const string DropLockAroundFlush = "drop-lock-around-flush";
    /// <summary>H3.</summary>
    public const string IrqOffLockIpiFlush = "irq-off-lock-ipi-flush";
    /// <summary>H4.</summary>
    public const string UnpinnedPageAddress = "unpinned-page-address";
    /// <summary>H13.</summary>
    public const string SetPageAddressUnlocked = "set-page-address-unlocked";
    /// <summary>H15.</summary>
    public const string DoubleKunmap = "double-kunmap";
    /// <summary>kmap in hardirq.</summary>
    public const string KmapFromIrq = "kmap-from-irq";
    /// <summary>H9.</summary>
    public const string NestedKmap = "nested-kmap";
}
