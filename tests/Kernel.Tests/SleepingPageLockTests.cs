using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// lock_page/unlock_page: mutual exclusion in every explored schedule, a contended locker that sleeps and is woken by
/// the unlock (a lost wakeup would be a deadlock), the wait queue empty again afterwards, and a call outside a kernel
/// task refused.
/// </summary>
public sealed class SleepingPageLockTests
{
    private static readonly Action Counter = () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var page = new SleepingPageLock(machine, "page");
        var counter = new SimVar<int>(0, "counter");
        var inside = new SimAtomic(0, "inside");
        machine.StartTasks("writer", 1, _ =>
        {
            for (var i = 0; i < 2; i++)
            {
                page.Lock();
                Sim.Assert(inside.Add(1) == 1, "two tasks hold lock_page at once");
                counter.Write(counter.Read() + 1);
                inside.Add(-1);
                page.Unlock();
            }
        });
        machine.JoinAll();
        Sim.Assert(counter.Peek == 4, $"lost update: counter is {counter.Peek}");
    };

    // Whoever takes the page first keeps it until the other task sleeps on it, then unlocks: the sleeper must be woken.
    private static readonly Action Contended = () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var page = new SleepingPageLock(machine, "page");
        var first = new SimAtomic(0, "first");
        machine.StartTasks("locker", 1, _ =>
        {
            var me = KernelTask.Current;   // the predicate is evaluated by the scheduler, not by this task
            page.Lock();
            if (first.CompareExchange(1, 0) == 0)
                Sim.WaitUntil(() => machine.Tasks.Count == 2 && machine.Tasks.Any(t => t != me && t.Asleep),
                    "the other locker sleeps on the page lock");
            page.Unlock();
        });
        machine.JoinAll();
        Sim.Assert(machine.QuiescentViolation() is null, $"{machine.QuiescentViolation()}");
    };

    [Theory, InlineData("random"), InlineData("pct")]
    public void The_lock_excludes_other_tasks_in_every_schedule(string strategy)
    {
        var report = SystematicTest.Run(Counter, new TestOptions { Strategy = strategy, Iterations = 1000, Seed = 3 });

        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
    }

    [Theory, InlineData("random"), InlineData("pct")]
    public void A_contended_locker_sleeps_until_the_unlock_wakes_it_and_leaves_the_queue_empty(string strategy)
    {
        var report = SystematicTest.Run(Contended, new TestOptions { Strategy = strategy, Iterations = 300, Seed = 3 });

        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(300, report.IterationsRun);
    }

    [Fact]
    public void Lock_page_outside_a_kernel_task_is_refused()
    {
        var page = new SleepingPageLock(new Machine(new MachineConfig { Cpus = 1 }), "page");

        Assert.Equal("lock_page outside a kernel task", Assert.Throws<InvalidOperationException>(page.Lock).Message);
    }
}
