using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// The checks a task meets when its body returns (lockdep's "lock held when returning to user space", do_exit's
/// "exited with preempt_count / irqs disabled", the layer above's registered checks): each broken exit is reported
/// with its exact message under the controlled scheduler, and the balanced counterpart stays clean.
/// </summary>
public sealed class ExitCheckTests
{
    private static readonly TestOptions Once = new() { Strategy = "random", Iterations = 20 };

    /// <summary>A one-CPU machine whose task <c>t</c> runs <paramref name="body"/>, then is joined.</summary>
    private static Action OneTask(Action<Machine> body, Action<Machine>? setUp = null) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        setUp?.Invoke(machine);
        machine.StartTask("t", 0, () => body(machine));
        machine.JoinAll();
    };

    private static string? BugOf(Action test)
    {
        var report = SystematicTest.Run(test, Once);
        if (report.Bug is null) return null;
        Assert.Equal(BugKind.AssertionFailure, report.Bug.Kind);
        return report.Bug.Message;
    }

    [Fact]
    public void ReturningWithASpinLockHeld_IsReportedAndNamesTheLock()
    {
        SpinLock? a = null;
        Assert.Equal("at exit of t on CPU0: lock held when returning to user space (lockdep): 1 lock(s) held by t: #0: a " +
                     "(a spin_lock without its spin_unlock)",
            BugOf(OneTask(_ => a!.Lock(), m => a = new SpinLock(m, "a"))));
    }

    [Fact]
    public void LocksReleasedOutOfOrder_LeaveOnlyTheOneStillHeld()
    {
        SpinLock? a = null, b = null, c = null;
        Assert.Equal("at exit of t on CPU0: lock held when returning to user space (lockdep): 2 lock(s) held by t: #0: a, #1: c " +
                     "(a spin_lock without its spin_unlock)",
            BugOf(OneTask(_ =>
            {
                a!.Lock();
                b!.Lock();
                c!.Lock();
                b.Unlock();   // not the most recent: the ones above it slide down
            }, m => (a, b, c) = (new SpinLock(m, "a"), new SpinLock(m, "b"), new SpinLock(m, "c")))));
    }

    [Fact]
    public void EveryLockFlavourReleased_LeavesTheTaskClean()
    {
        SpinLock? a = null;
        Assert.Null(BugOf(OneTask(_ =>
        {
            a!.Lock();
            a.Unlock();
            a.LockIrq();
            a.UnlockIrq();
            var flags = a.LockIrqSave();
            a.UnlockIrqRestore(flags);
            if (a.TryLock()) a.Unlock();
        }, m => a = new SpinLock(m, "a"))));
    }

    [Fact]
    public void ReturningWithPreemptionDisabled_IsReported()
    {
        Assert.Equal("at exit of t on CPU0: preempt_count is 1 (a preempt_disable without its enable)",
            BugOf(OneTask(_ => Machine.CurrentCpuOrThrow.PreemptDisable())));
    }

    [Fact]
    public void ReturningWithIrqsOff_IsReported()
    {
        Assert.Equal("at exit of t on CPU0: IRQs are disabled (exited with irqs disabled: a local_irq_disable/save without its enable/restore)",
            BugOf(OneTask(_ => Machine.CurrentCpuOrThrow.LocalIrqSave())));
    }

    [Fact]
    public void ReturningWithSoftirqsDisabled_IsReportedBeforeThePreemptCountItRaises()
    {
        Assert.Equal("at exit of t on CPU0: softirqs are disabled (local_bh_disable depth 1 without its local_bh_enable)",
            BugOf(OneTask(_ => Machine.CurrentCpuOrThrow.LocalBhDisable())));
    }

    [Fact]
    public void ReturningWithMigrationDisabled_IsReported()
    {
        Assert.Equal("at exit of t on CPU0: migration is disabled (migrate_disable depth 2 without its migrate_enable)",
            BugOf(OneTask(_ =>
            {
                KernelTask.Current!.MigrateDisable();
                KernelTask.Current!.MigrateDisable();
            })));
    }

    [Fact]
    public void ReturningWithPagefaultsDisabled_IsReported()
    {
        var pagefaults = new PagefaultState();
        Assert.Equal("at exit of t on CPU0: pagefaults are disabled (pagefault_disable depth 1 without its pagefault_enable)",
            BugOf(OneTask(_ => pagefaults.Disable())));
    }

    [Fact]
    public void BalancedSections_LeaveTheTaskClean()
    {
        var pagefaults = new PagefaultState();
        Assert.Null(BugOf(OneTask(_ =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var task = KernelTask.Current!;
            cpu.PreemptDisable();
            var flags = cpu.LocalIrqSave();
            cpu.LocalBhDisable();
            task.MigrateDisable();
            pagefaults.Disable();
            pagefaults.Enable();
            task.MigrateEnable();
            cpu.LocalBhEnable();
            cpu.LocalIrqRestore(flags);
            cpu.PreemptEnable();
        })));
    }

    /// <summary>
    /// A registered check speaks after lockdep (a held lock is the most specific cause) and before the preempt count
    /// (which a mapping the layer above left behind would hold raised).
    /// </summary>
    [Fact]
    public void ARegisteredCheck_RunsAfterTheHeldLocksAndBeforeThePreemptCount()
    {
        static void LeaveAMapping(Machine m) =>
            m.AddExitCheck(t => t.Name == "t" ? "kmap: slot 0 still mapped" : null);
        Assert.Equal("at exit of t on CPU0: kmap: slot 0 still mapped",
            BugOf(OneTask(_ => Machine.CurrentCpuOrThrow.PreemptDisable(), LeaveAMapping)));
        SpinLock? a = null;
        Assert.StartsWith("at exit of t on CPU0: lock held when returning to user space",
            BugOf(OneTask(_ => a!.Lock(), m =>
            {
                LeaveAMapping(m);
                a = new SpinLock(m, "a");
            })));
    }

    [Fact]
    public void ExitChecks_AreNoSchedulingPoints_SoACleanRunTakesTheSameSteps()
    {
        // One task that only exits: the exit checks add no step (a check with a scheduling point would add one).
        var withCheck = SystematicTest.Run(OneTask(_ => { }, m => m.AddExitCheck(_ => null)), Once);
        var without = SystematicTest.Run(OneTask(_ => { }), Once);
        Assert.Null(withCheck.Bug);
        Assert.Equal(without.StepsExplored, withCheck.StepsExplored);
    }

    [Fact]
    public void Natively_AnExitViolationFailsTheTask()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        machine.StartTask("t", 0, () => Machine.CurrentCpuOrThrow.PreemptDisable());
        var e = Assert.Throws<SimAssertionException>(machine.JoinAll);
        Assert.Equal("AssertionFailure: at exit of t on CPU0: preempt_count is 1 (a preempt_disable without its enable)", e.Message);
        Assert.StartsWith("task t on CPU0 failed: AssertionFailure: at exit of t", machine.AbortReason);
    }

    [Fact]
    public void Natively_TheTasksOfAnAbortedMachineAreNotChecked()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        machine.Abort("watchdog: no progress");
        machine.StartTask("t", 0, () => Machine.CurrentCpuOrThrow.PreemptDisable());
        machine.JoinAll();
        Assert.Equal("at exit of t on CPU0: preempt_count is 1 (a preempt_disable without its enable)", machine.ExitViolation(machine.Tasks[0]));
    }
}
