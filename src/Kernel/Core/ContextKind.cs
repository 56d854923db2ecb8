namespace HighMemConcurrency.Kernel;

/// <summary>The kind of context a CPU is executing; contexts nest (an interrupt on top of a task).</summary>
public enum ContextKind
{
    /// <summary>A task in process context.</summary>
    Process,

    /// <summary>Softirq (bottom half).</summary>
    SoftIrq,

    /// <summary>A hardware interrupt handler.</summary>
    HardIrq,

    /// <summary>A non-maskable interrupt handler: it fires even with local IRQs disabled.</summary>
    Nmi,
}

/// <summary>A task's scheduler state.</summary>
public enum TaskState
{
    /// <summary>TASK_RUNNING: runnable (or running).</summary>
    Running,

    /// <summary>TASK_UNINTERRUPTIBLE: asleep until a <c>wake_up</c>.</summary>
    Uninterruptible,
}

/// <summary>The IRQ state saved by <c>local_irq_save</c>, restored by <c>local_irq_restore</c>.</summary>
/// <param name="WereDisabled">Whether local IRQs were disabled before the save.</param>
public readonly record struct IrqFlags(bool WereDisabled);
