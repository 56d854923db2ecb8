using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

public sealed partial class Cpu
{
    /// <summary>
    /// The softirq-disable depth (<c>local_bh_disable</c> nesting). In the kernel it is part of preempt_count, so
    /// code with bottom halves disabled is both <c>in_atomic()</c> and <c>in_interrupt()</c>.
    /// </summary>
    public int BhDisableCount { get; private set; }

    /// <summary>in_nmi().</summary>
    public bool InNmi => Context == ContextKind.Nmi;

    /// <summary>in_irq() / in_hardirq(): a hardware interrupt handler (an NMI counts too, as in the kernel).</summary>
    public bool InHardIrq => Context is ContextKind.HardIrq or ContextKind.Nmi;

    /// <summary>
    /// The kernel's in_interrupt(): hardirq, NMI or softirq context, or process context with bottom halves disabled.
    /// (<see cref="InInterrupt"/> only looks at the context stack.)
    /// </summary>
    public bool InInterruptOrBhDisabled => InInterrupt || BhDisableCount > 0;

    /// <summary>irq_count() != 0: some interrupt context or a BH-disabled section.</summary>
    public bool IrqCountNonZero => InInterruptOrBhDisabled;

    /// <summary>local_bh_disable(): softirqs cannot run on this CPU until the matching enable; also non-preemptible.</summary>
    public void LocalBhDisable()
    {
        BhDisableCount++;
        PreemptDisable();
    }

    /// <summary>local_bh_enable().</summary>
    public void LocalBhEnable()
    {
        if (BhDisableCount <= 0) throw new KernelBugException($"BUG: local_bh_enable() underflow on CPU{Id}");
        BhDisableCount--;
        PreemptEnable();
    }

    /// <summary>
    /// Runs a softirq handler nested on whatever this CPU is executing (irq_exit/do_softirq). Local IRQs stay as
    /// they are (on), so a hardware interrupt may nest on top of the softirq. The caller decides when: only outside
    /// interrupt context and with bottom halves enabled, as the kernel does.
    /// </summary>
    public void RunSoftIrq(string name, Action<Cpu> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (InInterruptOrBhDisabled)
            throw new InvalidOperationException($"CPU{Id} cannot run softirq '{name}' in {Context} context or with BHs disabled");
        Machine.Counters.Add("softirqs");
        if (Sim.IsControlled) Sim.Note($"CPU{Id} runs softirq '{name}'");
        _contexts.Push(ContextKind.SoftIrq);
        PreemptCount++;   // SOFTIRQ_OFFSET: a softirq is atomic; no resched check on the way out of it
        try
        {
            handler(this);
        }
        finally
        {
            PreemptCount--;
            _contexts.Pop();
        }
    }

    /// <summary>
    /// Runs an NMI handler nested on whatever this CPU is executing, whatever the IRQ flag: an NMI cannot be masked.
    /// The handler runs with local IRQs off.
    /// </summary>
    public void RunNmi(string name, Action<Cpu> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Machine.Counters.Add("nmis");
        if (Sim.IsControlled) Sim.Note($"CPU{Id} takes NMI '{name}'");
        var saved = IrqsDisabled;
        IrqsDisabled = true;
        _contexts.Push(ContextKind.Nmi);
        PreemptCount++;   // NMI_OFFSET
        try
        {
            handler(this);
        }
        finally
        {
            PreemptCount--;
            _contexts.Pop();
            IrqsDisabled = saved;
        }
    }
}
