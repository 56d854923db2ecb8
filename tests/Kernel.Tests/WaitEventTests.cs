using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// wait_event and its waker, as include/linux/wait.h pairs them: the sleeper's prepare_to_wait() (set_current_state's
/// full barrier) against the waker's smp_mb() before waitqueue_active() (wq_has_sleeper). With both barriers no
/// schedule loses the wake-up under any memory model; a waker that tests waitqueue_active() right after storing the
/// condition loses it under tso and arm (the load passes the store), never under sc.
/// </summary>
public sealed class WaitEventTests
{
    private static Action SleeperAndWaker(bool wakerBarrier) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var queue = new WaitQueueHead(machine, "wq");
        var condition = new SimAtomic(0, "cond");
        machine.StartTask("sleeper", 0, () => queue.WaitEvent(KernelTask.Current!, () => condition.Load() == 1));
        machine.StartTask("waker", 1, () =>
        {
            condition.Store(1);
            if (wakerBarrier ? queue.HasSleeper() : queue.Active()) queue.WakeUp();
        });
        machine.JoinAll();
        Sim.Assert(machine.QuiescentViolation() is null, $"{machine.QuiescentViolation()}");
    };

    private static TestOptions Options(MemoryModel model, string strategy) =>
        new() { Strategy = strategy, Iterations = 2000, Seed = 5, MemoryModel = model };

    [Theory]
    [InlineData(MemoryModel.Sc, "pct"), InlineData(MemoryModel.Tso, "pct"), InlineData(MemoryModel.Arm, "pct")]
    [InlineData(MemoryModel.Sc, "random"), InlineData(MemoryModel.Tso, "random"), InlineData(MemoryModel.Arm, "random")]
    public void With_wq_has_sleeper_no_wake_up_is_lost_under_any_model(MemoryModel model, string strategy)
    {
        var report = SystematicTest.Run(SleeperAndWaker(wakerBarrier: true), Options(model, strategy));
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(2000, report.IterationsRun);
    }

    [Theory]
    [InlineData(MemoryModel.Tso), InlineData(MemoryModel.Arm)]
    public void A_bare_waitqueue_active_after_the_condition_store_loses_the_wake_up_on_weak_memory(MemoryModel model)
    {
        var report = SystematicTest.Run(SleeperAndWaker(wakerBarrier: false), Options(model, "random"));
        Assert.True(report.Bug is { Kind: BugKind.Deadlock }, report.ToString());
        Assert.Contains("sleeper", report.Bug!.Message);
    }

    [Fact]
    public void A_bare_waitqueue_active_after_the_condition_store_is_correct_under_sc()
    {
        var report = SystematicTest.Run(SleeperAndWaker(wakerBarrier: false), Options(MemoryModel.Sc, "random"));
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
    }

    [Fact]
    public void Finish_wait_leaves_the_task_running_and_off_the_queue()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            var queue = new WaitQueueHead(machine, "wq");
            machine.StartTask("t", 0, () =>
            {
                var me = KernelTask.Current!;
                queue.PrepareToWait(me, TaskState.Uninterruptible);
                queue.PrepareToWait(me, TaskState.Uninterruptible);   // already queued: not twice
                Sim.Assert(queue.Waiters.Count == 1 && me.State == TaskState.Uninterruptible && queue.Active(), "prepare_to_wait");
                queue.FinishWait(me);
                Sim.Assert(queue.Waiters.Count == 0 && me.State == TaskState.Running && !queue.Active(), "finish_wait");
            });
            machine.JoinAll();
        }, new TestOptions { Strategy = "dfs", Iterations = 10 });
        Assert.True(report.Bug is null, report.Bug?.Message);
    }

    [Fact]
    public void A_condition_that_already_holds_returns_without_touching_the_queue()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            var queue = new WaitQueueHead(machine, "wq");
            machine.StartTask("t", 0, () => queue.WaitEvent(KernelTask.Current!, () => true));
            machine.JoinAll();
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.DoesNotContain("wq.lock", report.Bug!.Interleaving);
    }

    [Fact]
    public void The_wait_calls_refuse_a_missing_task_or_condition()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var queue = new WaitQueueHead(machine, "wq");
        Assert.Equal("task", Assert.Throws<ArgumentNullException>(() => queue.PrepareToWait(null!, TaskState.Uninterruptible)).ParamName);
        Assert.Equal("task", Assert.Throws<ArgumentNullException>(() => queue.FinishWait(null!)).ParamName);
        Assert.Equal("task", Assert.Throws<ArgumentNullException>(() => queue.WaitEvent(null!, () => true)).ParamName);
        var task = machine.StartTask("t", 0, () => { });
        machine.JoinAll();
        Assert.Equal("condition", Assert.Throws<ArgumentNullException>(() => queue.WaitEvent(task, null!)).ParamName);
    }
}
