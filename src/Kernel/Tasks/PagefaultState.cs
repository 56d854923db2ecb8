
namespace HighMemConcurrency.Kernel;

/// <summary>
/// pagefault_disable / pagefault_enable on current-&gt;pagefault_disabled (<see cref="KernelTask.PagefaultDisabled"/>):
/// while positive, a fault in a user copy takes the exception fix-up path instead of sleeping (spec §2.4 item 4).
/// Kept per task (as later kernels do), apart from the preempt count; a task must end with it at 0 (its exit check).
/// </summary>
public sealed class PagefaultState
{
    /// <summary>pagefault_disable() for the current task.</summary>
    public void Disable() => Current().PagefaultDisabled++;

    /// <summary>pagefault_enable().</summary>
    public void Enable()
    {
        var task = Current();
        if (task.PagefaultDisabled <= 0) throw new KernelBugException("BUG: pagefault_enable() without pagefault_disable()");
        task.PagefaultDisabled--;
    }

    /// <summary>pagefault_disabled() of the current task.</summary>
    public bool Disabled => Current().PagefaultDisabled > 0;

    private static KernelTask Current() =>
        KernelTask.Current ?? throw new InvalidOperationException("pagefault_disable outside a kernel task");
}
