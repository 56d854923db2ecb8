using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>
/// The preempt-count predicates debug_kmap_atomic looks at, captured at the call (spec §2.3).
/// </summary>
/// <param name="InNmi">in_nmi().</param>
/// <param name="InIrq">in_irq(): hardirq (or NMI) context.</param>
/// <param name="InInterrupt">in_interrupt(): any interrupt context, or bottom halves disabled.</param>
/// <param name="IrqsDisabled">irqs_disabled().</param>
/// <param name="KgdbActive">Whether the kernel debugger is active (only matters for KM_KDB, not modelled as a type).</param>
public readonly record struct KmapContext(bool InNmi, bool InIrq, bool InInterrupt, bool IrqsDisabled, bool KgdbActive = false)
{
    /// <summary>The predicates of <paramref name="cpu"/> now.</summary>
    public static KmapContext Of(Cpu cpu)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        return new(cpu.InNmi, cpu.InHardIrq, cpu.InInterruptOrBhDisabled, cpu.IrqsDisabled);
    }

    /// <summary>irq_count() != 0.</summary>
    public bool IrqCount => InInterrupt;

    /// <inheritdoc />
    public override string ToString()
    {
        var where = InNmi ? "NMI" : InIrq ? "hardirq" : InInterrupt ? "softirq/BH-disabled" : "process";
        return $"{where} context, IRQs {(IrqsDisabled ? "off" : "on")}";
    }
}
