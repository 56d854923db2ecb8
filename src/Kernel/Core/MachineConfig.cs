namespace HighMemConcurrency.Kernel;

/// <summary>How <c>flush_tlb_kernel_range</c> reaches the other CPUs.</summary>
public enum TlbFlushMode
{
    /// <summary>x86 / ARMv6 SMP: an IPI to every other CPU, and the initiator waits until each has run its handler.</summary>
    Ipi,

    /// <summary>ARMv7 SMP: broadcast TLB maintenance; no CPU has to take an interrupt.</summary>
    Broadcast,
}

/// <summary>The shape of a simulated machine. Immutable.</summary>
public sealed record MachineConfig
{
    /// <summary>NR_CPUS.</summary>
    public int Cpus { get; init; } = 2;

    /// <summary>How kernel-range TLB flushes reach other CPUs.</summary>
    public TlbFlushMode TlbFlush { get; init; } = TlbFlushMode.Ipi;

    /// <summary>
    /// At a point where a CPU could take a pending device interrupt, it fires with probability 1/this (a controlled
    /// choice under test): 2 means "the strategy flips a coin at every such point".
    /// </summary>
    public int IrqFireChoices { get; init; } = 2;

    /// <summary>
    /// Whether the scheduler may move a task to another CPU when it is preempted or woken (unless the task called
    /// migrate_disable). Under test the destination is a controlled choice. Off by default: tasks stay on their CPU.
    /// </summary>
    public bool AllowMigration { get; init; }
}
