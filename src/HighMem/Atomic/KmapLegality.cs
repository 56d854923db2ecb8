namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>
/// debug_kmap_atomic(type), spec §2.3 (≈2.6.27–2.6.36, with Søren Sandmann's NMI fix): which km_type a context may
/// use. A type is safe iff no context that can interrupt its holder on the same CPU uses the same type.
/// </summary>
public static class KmapLegality
{
    private static bool IsIrqType(KmType t) => t is KmType.KM_IRQ0 or KmType.KM_IRQ1 or KmType.KM_BOUNCE_READ or
        KmType.KM_BIO_SRC_IRQ or KmType.KM_BIO_DST_IRQ or KmType.KM_IRQ_PTE or KmType.KM_NMI or KmType.KM_NMI_PTE;

    private static bool InHardirqList(KmType t) => t is KmType.KM_IRQ0 or KmType.KM_IRQ1 or KmType.KM_BIO_SRC_IRQ or
        KmType.KM_BIO_DST_IRQ or KmType.KM_BOUNCE_READ or KmType.KM_IRQ_PTE;

    private static bool InSoftirqList(KmType t) => t is KmType.KM_IRQ0 or KmType.KM_IRQ1 or KmType.KM_SOFTIRQ0 or
        KmType.KM_SOFTIRQ1 or KmType.KM_SKB_SUNRPC_DATA or KmType.KM_SKB_DATA_SOFTIRQ or KmType.KM_BOUNCE_READ;

    /// <summary>The reason <paramref name="type"/> is illegal in <paramref name="context"/>, or null when it passes both rules.</summary>
    public static string? Check(KmType type, KmapContext context)
    {
        // Rule 1: inside an interrupt, the type must belong to that kind of interrupt.
        if (context.InInterrupt)
        {
            if (context.InNmi)
            {
                if (type is not (KmType.KM_NMI or KmType.KM_NMI_PTE)) return $"{type} used in NMI context (only KM_NMI, KM_NMI_PTE)";
            }
            else if (context.InIrq)
            {
                if (!InHardirqList(type)) return $"{type} used in hardirq context";
            }
            else if (!context.IrqsDisabled && !InSoftirqList(type))
            {
                return $"{type} used in softirq context (or with BHs disabled) with IRQs on";
            }
        }
        // Rule 2: what the type itself requires of whoever holds it.
        if (IsIrqType(type))
        {
            if (!context.IrqsDisabled) return $"IRQ type {type} used with IRQs enabled ({context})";
        }
        else if (type is KmType.KM_SOFTIRQ0 or KmType.KM_SOFTIRQ1)
        {
            if (!context.IrqCount && !context.IrqsDisabled) return $"softirq type {type} used with BHs and IRQs enabled ({context})";
        }
        return null;
    }
}
