using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

public sealed partial class Machine
{
    private readonly List<Func<KernelTask, string?>> _exitChecks = [];

    /// <summary>
    /// Registers a check of a task's state when its body returns — the layer above's own "nothing left at exit", such
    /// as kmap_local's <c>kmap_assert_nomap</c>. It gets the exiting task (the caller) and returns what is left (e.g.
    /// "kmap_local: 1 mapping still mapped …"), or null. It must only peek: it runs between the task's last step and
    /// its exit, where a scheduling point would change every trace. Register before starting tasks.
    /// </summary>
    public void AddExitCheck(Func<KernelTask, string?> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        _exitChecks.Add(check);
    }

    /// <summary>
    /// What <paramref name="task"/> (whose body has just returned) still holds or has disabled, or null when it
    /// leaves clean — the checks a returning task meets in the kernel (exit_to_user_mode / do_exit), most specific
    /// first: held spin locks (lockdep), then the registered checks (e.g. kmap slots, which hold preemption off
    /// themselves), then the IRQ flag, softirqs, the preempt count, migrate_disable and pagefault_disable. A peek.
    /// </summary>
    public string? ExitViolation(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var cpu = task.Cpu;
        string At(string detail) => $"at exit of {task.Name} on CPU{cpu.Id}: {detail}";
        if (task.HeldLocks.Depth > 0)
            return At($"lock held when returning to user space (lockdep): {task.HeldLocks.Depth} lock(s) held by {task.Name}: " +
                      $"{task.HeldLocks.Describe()} (a spin_lock without its spin_unlock)");
        foreach (var check in _exitChecks)
            if (check(task) is { } left) return At(left);
        // Tasks switch only with preemption and IRQs on (a preemption point or schedule(), which refuses atomic
        // context), so the CPU's flags at a task's exit are the task's own doing.
        if (cpu.IrqsDisabled) return At("IRQs are disabled (exited with irqs disabled: a local_irq_disable/save without its enable/restore)");
        if (cpu.BhDisableCount > 0) return At($"softirqs are disabled (local_bh_disable depth {cpu.BhDisableCount} without its local_bh_enable)");
        if (cpu.PreemptCount > 0) return At($"preempt_count is {cpu.PreemptCount} (a preempt_disable without its enable)");
        if (task.MigrationDisabled > 0) return At($"migration is disabled (migrate_disable depth {task.MigrationDisabled} without its migrate_enable)");
        if (task.PagefaultDisabled > 0) return At($"pagefaults are disabled (pagefault_disable depth {task.PagefaultDisabled} without its pagefault_enable)");
        return null;
    }
}

public sealed partial class KernelTask
{
    /// <summary>
    /// The task's body has returned: a task that leaves with a lock held, a kmap slot mapped or preemption, IRQs,
    /// migration or pagefaults still disabled is reported (an assertion failure; natively it fails the task). Not on
    /// a native machine already aborted: its tasks stop part-way by design and the abort is the report.
    /// </summary>
    private void CheckExit()
    {
        if (Machine.Aborted) return;
        if (Machine.ExitViolation(this) is { } violation) Sim.Fail(BugKind.AssertionFailure, violation);
    }
}
