
namespace HighMemConcurrency.Kernel;

/// <summary>
/// current-&gt;pagefault_disabled: while positive, a fault in a user copy takes the exception fix-up path instead of
/// sleeping (spec §2.4 item 4). Kept per task (as later kernels do), apart from the preempt count.
/// </summary>
public sealed class PagefaultState
{
    private readonly TaskLocal<Counter> _counts = new(_ => new Counter());

    /// <summary>pagefault_disable() for the current task.</summary>
    public void Disable() => Current().Value++;

    /// <summary>pagefault_enable().</summary>
    public void Enable()
    {
        var c = Current();
        if (c.Value <= 0) throw new KernelBugException("BUG: pagefault_enable() without pagefault_disable()");
        c.Value--;
    }

    /// <summary>pagefault_disabled() of the current task.</summary>
    public bool Disabled => Current().Value > 0;

    private Counter Current() =>
        _counts.Of(KernelTask.Current ?? throw new InvalidOperationException("pagefault_disable outside a kernel task"));

    private sealed class Counter
    {
        public int Value;
    }
}
