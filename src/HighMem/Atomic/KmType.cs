namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>
/// enum km_type: the caller-chosen slot of the old kmap_atomic API. Values 0–12 are the 2.6.11 i386 list
/// (KM_TYPE_NR = 13); the three later x86 additions are appended here (the model only needs distinct slots), making
/// a 16-slot window for configurations that use them.
/// </summary>
public enum KmType
{
    /// <summary>KM_BOUNCE_READ: bounce-buffer copies, also from IRQ context.</summary>
    KM_BOUNCE_READ,

    /// <summary>KM_SKB_SUNRPC_DATA.</summary>
    KM_SKB_SUNRPC_DATA,

    /// <summary>KM_SKB_DATA_SOFTIRQ.</summary>
    KM_SKB_DATA_SOFTIRQ,

    /// <summary>KM_USER0: process context.</summary>
    KM_USER0,

    /// <summary>KM_USER1: process context (second page, e.g. copy_highpage).</summary>
    KM_USER1,

    /// <summary>KM_BIO_SRC_IRQ: block layer, IRQs off.</summary>
    KM_BIO_SRC_IRQ,

    /// <summary>KM_BIO_DST_IRQ: block layer, IRQs off.</summary>
    KM_BIO_DST_IRQ,

    /// <summary>KM_PTE0: highmem page tables.</summary>
    KM_PTE0,

    /// <summary>KM_PTE1.</summary>
    KM_PTE1,

    /// <summary>KM_IRQ0: hardirq, or process context with IRQs off.</summary>
    KM_IRQ0,

    /// <summary>KM_IRQ1.</summary>
    KM_IRQ1,

    /// <summary>KM_SOFTIRQ0: softirq, or BHs off.</summary>
    KM_SOFTIRQ0,

    /// <summary>KM_SOFTIRQ1.</summary>
    KM_SOFTIRQ1,

    /// <summary>KM_IRQ_PTE (later x86).</summary>
    KM_IRQ_PTE,

    /// <summary>KM_NMI (later x86): private to NMI context.</summary>
    KM_NMI,

    /// <summary>KM_NMI_PTE (later x86).</summary>
    KM_NMI_PTE,
}

/// <summary>Sizes of the km_type enumeration.</summary>
public static class KmTypes
{
    /// <summary>KM_TYPE_NR of 2.6.11 i386.</summary>
    public const int Classic = 13;

    /// <summary>KM_TYPE_NR with KM_IRQ_PTE, KM_NMI and KM_NMI_PTE.</summary>
    public const int WithNmi = 16;
}
