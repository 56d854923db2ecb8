using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// spin_lock on real threads (the ticket lock): who holds it and who does not, trylock on a free and a held lock,
/// a spinner counted as one contended acquisition with its spins, an unlock by a non-holder a BUG, and an aborted
/// machine releasing its spinners. Every wait is bounded.
/// </summary>
public sealed class SpinLockNativeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static void RunOnOtherThread(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        Assert.True(thread.Join(Bound), "the other thread did not finish");
        if (error is not null) throw new Xunit.Sdk.XunitException($"the other thread failed: {error}");
    }

    [Fact]
    public void An_uncontended_lock_has_its_task_as_owner_until_unlock_and_counts_no_contention()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        machine.StartTask("t", 0, () =>
        {
            var me = KernelTask.Current!;
            l.Lock();
            Assert.Equal((me, true, true), (l.Owner, l.IsLocked, l.HeldByCurrent));
            RunOnOtherThread(() => Assert.False(l.HeldByCurrent, "another thread holds it too"));
            l.Unlock();
            Assert.Equal((null, false, false), (l.Owner, l.IsLocked, l.HeldByCurrent));
        });
        machine.JoinAll();
        Assert.Equal((1L, 0L, 0L), (l.Acquisitions, l.Contended, l.Spins));
    }

    [Fact]
    public void TryLock_takes_a_free_lock_and_refuses_a_held_one_leaving_preemption_as_it_was()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        l.Lock();   // held outside any CPU
        machine.StartTask("t", 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            Assert.False(l.TryLock(), "trylock of a held lock succeeded");
            Assert.Equal(0, cpu.PreemptCount);
        });
        machine.JoinAll();
        l.Unlock();
        machine.StartTask("u", 0, () =>
        {
            var me = KernelTask.Current!;
            Assert.True(l.TryLock(), "trylock of a free lock failed");
            Assert.Equal((me, 1, true), (l.Owner, me.Cpu.PreemptCount, l.HeldByCurrent));
            l.Unlock();
            Assert.False(l.IsLocked, "the lock stayed taken after trylock and unlock");
        });
        machine.JoinAll();
        Assert.Equal((2L, 0L), (l.Acquisitions, l.Contended));
    }

    [Fact]
    public void A_spinner_gets_the_lock_after_the_release_and_counts_one_contended_acquisition_with_its_spins()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        l.Lock();
        machine.StartTask("spinner", 0, () =>
        {
            l.Lock();
            l.Unlock();
        });
        var spinning = SpinWait.SpinUntil(() => l.NativeTicketsOut == 2, Bound);
        l.Unlock();   // before asserting, so a failure leaves no thread spinning
        Assert.True(spinning, "the task never queued for the held lock");
        machine.JoinAll();
        Assert.Equal((2L, 1L, 0), (l.Acquisitions, l.Contended, l.NativeTicketsOut));
        Assert.True(l.Spins >= 1, $"spins: {l.Spins}");
    }

    [Fact]
    public void An_aborted_machine_releases_a_task_spinning_on_a_lock_that_is_never_freed()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        l.Lock();
        machine.StartTask("spinner", 0, l.Lock);
        Assert.True(SpinWait.SpinUntil(() => l.NativeTicketsOut == 2, Bound), "the task never queued for the held lock");

        machine.Abort("test over");

        RunOnOtherThread(machine.JoinAll);   // bounded: the spinner unwinds, and the abort is not the task's failure
    }

    [Fact]
    public void Unlock_by_a_task_that_does_not_hold_the_lock_is_a_BUG()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "page_lock");
        machine.StartTask("t", 0, l.Unlock);

        var e = Assert.Throws<KernelBugException>(machine.JoinAll);

        Assert.Equal("BUG: spin_unlock of page_lock by a context that does not hold it", e.Message);
    }

    [Fact]
    public void Irqsave_outside_any_CPU_reports_interrupts_as_disabled_and_restores_nothing()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");

        var flags = l.LockIrqSave();
        Assert.True(l.IsLocked);
        l.UnlockIrqRestore(flags);
        l.LockIrq();
        Assert.True(l.IsLocked);
        l.UnlockIrq();

        Assert.Equal((true, false, 2L), (flags.WereDisabled, l.IsLocked, l.Acquisitions));
    }

    [Fact]
    public void Taking_a_lock_twice_outside_any_CPU_is_a_recursion_BUG_that_says_so()
    {
        var l = new SpinLock(new Machine(new MachineConfig { Cpus = 1 }), "l");
        l.Lock();

        var e = Assert.Throws<KernelBugException>(l.Lock);

        Assert.Equal("BUG: spinlock recursion on l: outside any CPU already holds it", e.Message);
        l.Unlock();
    }
}
