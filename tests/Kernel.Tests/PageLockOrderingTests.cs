using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// lock_page/unlock_page's ordering on weak memory (<see cref="PageLockCode"/>): the kernel's code keeps the lock's
/// promises under tso and arm; each barrier or release left out breaks one of them, under the model that can see it,
/// and under sc nothing breaks.
/// </summary>
public sealed class PageLockOrderingTests
{
    // Two tasks, each adding one to a plain counter under the page lock twice; the other waits when it is held.
    private static Action Counter(PageLockCode? code) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var page = code is null ? new SleepingPageLock(machine, "page") : new SleepingPageLock(machine, "page", code);
        var counter = new SimVar<int>(0, "counter");
        machine.StartTasks("writer", 1, _ =>
        {
            for (var i = 0; i < 2; i++)
            {
                page.Lock();
                counter.Write(counter.Read() + 1);
                page.Unlock();
            }
        });
        machine.JoinAll();
        Sim.Assert(counter.Peek == 4, $"lost update: counter is {counter.Peek}");
        Sim.Assert(machine.QuiescentViolation() is null, $"{machine.QuiescentViolation()}");
    };

    private static TestReport Run(PageLockCode? code, MemoryModel model, string strategy = "random") =>
        SystematicTest.Run(Counter(code), new TestOptions { Strategy = strategy, Iterations = 3000, Seed = 7, MemoryModel = model });

    [Fact]
    public void The_kernel_code_has_every_barrier()
    {
        Assert.True(PageLockCode.Kernel.BarrierBeforeWake);
        Assert.True(PageLockCode.Kernel.ReleaseOnUnlock);
        Assert.True(PageLockCode.Kernel.BarrierInWait);
    }

    [Theory]
    [InlineData(MemoryModel.Sc), InlineData(MemoryModel.Tso), InlineData(MemoryModel.Arm)]
    public void The_kernel_code_excludes_and_wakes_under_every_model(MemoryModel model)
    {
        foreach (var strategy in new[] { "random", "pos" })
        {
            var report = Run(null, model, strategy);   // no code given: the kernel's
            Assert.True(report.Bug is null, $"{strategy}, {model}: {report.Bug}\n{report.Bug?.Interleaving}");
            Assert.Equal(3000, report.IterationsRun);
        }
    }

    [Fact]
    public void Without_the_barrier_before_the_wake_up_test_a_wake_up_is_lost_under_tso()
    {
        var report = Run(PageLockCode.Kernel with { BarrierBeforeWake = false }, MemoryModel.Tso);
        Assert.True(report.Bug is { Kind: BugKind.Deadlock }, report.ToString());
    }

    [Fact]
    public void Without_release_on_unlock_the_next_holder_loses_an_update_under_arm()
    {
        var report = Run(PageLockCode.Kernel with { ReleaseOnUnlock = false }, MemoryModel.Arm);
        Assert.True(report.Bug is { Kind: BugKind.AssertionFailure } bug && bug.Message.StartsWith("lost update", StringComparison.Ordinal), report.ToString());
    }

    [Fact]
    public void Without_prepare_to_wait_s_barrier_a_wake_up_is_lost_under_arm()
    {
        var report = Run(PageLockCode.Kernel with { BarrierInWait = false }, MemoryModel.Arm, "pos");
        Assert.True(report.Bug is { Kind: BugKind.Deadlock }, report.ToString());
    }

    [Theory]
    [InlineData(false, true, true), InlineData(true, false, true), InlineData(true, true, false)]
    public void Every_variant_of_the_code_is_correct_under_sc(bool barrierBeforeWake, bool releaseOnUnlock, bool barrierInWait)
    {
        var code = new PageLockCode { BarrierBeforeWake = barrierBeforeWake, ReleaseOnUnlock = releaseOnUnlock, BarrierInWait = barrierInWait };
        var report = Run(code, MemoryModel.Sc);
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
    }
}
