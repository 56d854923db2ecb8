using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// spin_lock under the controlled scheduler: a lock held outside any CPU is locked, trylock takes a free lock and not
/// a held one, a task that had to wait is one contended acquisition with at least one spin, and the interleaving
/// names spin_lock, spin_unlock and wake_up as the kernel does.
/// </summary>
public sealed class SpinLockControlledTests
{
    [Fact]
    public void An_outsiders_hold_locks_out_trylock_and_a_spinner_counts_its_contention()
    {
        var contendedRuns = 0;   // iterations run one after another, each on its own machine
        void Body()
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            var l = new SpinLock(machine, "l");
            var releasing = new SimAtomic(0, "releasing");
            l.Lock();   // the test's own thread: outside any CPU
            Sim.Assert(l.IsLocked && l.Owner is null, "a lock held outside any CPU does not show as locked");
            machine.StartTask("t", 0, () =>
            {
                // A trylock that succeeds came after the release, which the outsider announces before it unlocks.
                var took = l.TryLock();
                Sim.Assert(!took || releasing.Load() == 1, "trylock took a held lock");
                if (took) l.Unlock();
                l.Lock();
                l.Unlock();
                Sim.Assert(l.TryLock(), "trylock refused a free lock");
                Sim.Assert(l.Owner == KernelTask.Current, "trylock did not record its owner");
                l.Unlock();
            });
            releasing.Store(1);
            l.Unlock();
            machine.JoinAll();
            Sim.Assert(l.Acquisitions >= 3 && l.Contended <= 1 && l.Spins >= l.Contended,
                $"acquisitions {l.Acquisitions}, contended {l.Contended}, spins {l.Spins}");
            if (l.Contended == 1) contendedRuns++;
        }

        var report = SystematicTest.Run(Body, new TestOptions { Strategy = "random", Iterations = 200, Seed = 5 });

        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(contendedRuns > 0, "in no schedule did the task have to wait for the lock");
    }

    [Fact]
    public void The_interleaving_names_spin_lock_spin_unlock_and_wake_up()
    {
        void Body()
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            var l = new SpinLock(machine, "pkmap_lock");
            var wq = new WaitQueueHead(machine, "pkmap_wait");
            machine.StartTask("t", 0, () =>
            {
                l.Lock();
                l.Unlock();
                Sim.Assert(l.TryLock(), "trylock refused a free lock");
                l.Unlock();
                wq.WakeUp();
                Sim.Assert(false, "stop here");
            });
            machine.JoinAll();
        }

        var report = SystematicTest.Run(Body, new TestOptions { Strategy = "random", Iterations = 1, Seed = 1 });

        var steps = report.Bug?.Interleaving ?? "";
        Assert.Equal(2, steps.Split("spin_lock(pkmap_lock)").Length - 1);   // once by spin_lock, once by spin_trylock
        Assert.Equal(2, steps.Split("spin_unlock(pkmap_lock)").Length - 1);
        Assert.Contains("wake_up(pkmap_wait): 0 task(s)", steps);
    }

    [Fact]
    public void A_wait_queue_refuses_a_null_task()
    {
        var wq = new WaitQueueHead(new Machine(new MachineConfig { Cpus = 1 }), "wq");

        Assert.Throws<ArgumentNullException>(() => wq.Add(null!));
        Assert.Throws<ArgumentNullException>(() => wq.Remove(null!));
    }
}
