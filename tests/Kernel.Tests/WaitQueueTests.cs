using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>Sleeping and waking: set_current_state, add_wait_queue, schedule, wake_up.</summary>
public sealed class WaitQueueTests
{
    /// <summary>
    /// A waiter sleeps until a flag is set. Correct: queue and set the state before checking the flag. Buggy: check
    /// first, then queue and sleep — a wake_up in between finds nobody (lost wakeup).
    /// </summary>
    private static Action WaitForFlag(bool checkFirst) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var wq = new WaitQueueHead(machine, "wq");
        var flag = new SimAtomic(0, "flag");
        machine.StartTask("waiter", 0, () =>
        {
            var me = KernelTask.Current!;
            if (checkFirst && flag.Load() != 0) return;
            wq.Add(me);
            me.SetCurrentState(TaskState.Uninterruptible);
            if (checkFirst || flag.Load() == 0) me.Schedule();
            me.SetCurrentState(TaskState.Running);
            wq.Remove(me);
        });
        machine.StartTask("waker", 1, () =>
        {
            flag.Store(1);
            wq.WakeUp();
        });
        machine.JoinAll();
    };

    [Theory, InlineData("random"), InlineData("pct")]
    public void SetStateAndQueueBeforeChecking_NeverLosesTheWakeup(string strategy)
    {
        var report = SystematicTest.Run(WaitForFlag(checkFirst: false), new TestOptions { Strategy = strategy, Iterations = 1000 });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
    }

    [Fact]
    public void CheckingBeforeQueueing_LosesTheWakeup()
    {
        var report = SystematicTest.Run(WaitForFlag(checkFirst: true), new TestOptions { Strategy = "pct", Iterations = 1000 });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Contains("waiter is woken (sleeps in TASK_UNINTERRUPTIBLE on wq)", report.Bug!.Message);
    }

    [Fact]
    public void Schedule_ReturnsAtOnceWhenAlreadyWoken()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var wq = new WaitQueueHead(machine, "wq");
        machine.StartTask("t", 0, () =>
        {
            var me = KernelTask.Current!;
            me.SetCurrentState(TaskState.Uninterruptible);
            wq.Add(me);
            Assert.True(wq.Active());
            wq.WakeUp();                                    // e.g. an interrupt woke us before we slept
            Assert.Equal(TaskState.Running, me.State);
            me.Schedule();                                  // must not sleep
            wq.Remove(me);
            Assert.False(wq.Active());
        });
        machine.JoinAll();
    }

    [Fact]
    public void ScheduleWhileAtomic_IsABug()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        machine.StartTask("t", 0, () =>
        {
            var me = KernelTask.Current!;
            me.Cpu.PreemptDisable();
            me.SetCurrentState(TaskState.Uninterruptible);
            me.Schedule();
        });
        var e = Assert.Throws<KernelBugException>(machine.JoinAll);
        Assert.StartsWith("BUG: scheduling while atomic", e.Message);
    }
}
