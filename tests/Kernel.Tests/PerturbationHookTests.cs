using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// The perturbation hook: natively a task meets it at each scheduling point of the primitives, in the order the
/// primitive passes them, and only a kernel task does; under the systematic engine it cannot be installed, nor can a
/// task park. A parked task is off its CPU, so a sibling runs meanwhile. Every wait is bounded.
/// </summary>
public sealed class PerturbationHookTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Records the points met, by task, and puts every migrating task on CPU 1.</summary>
    private sealed class Recorder : IPerturbation
    {
        private readonly List<(string Task, PerturbationPoint Point)> _seen = [];

        public IReadOnlyList<(string Task, PerturbationPoint Point)> Seen
        {
            get
            {
                lock (_seen) return _seen.ToArray();
            }
        }

        public void At(PerturbationPoint point, KernelTask task)
        {
            lock (_seen) _seen.Add((task.Name, point));
        }

        public int ChooseCpu(KernelTask task, int cpus) => 1;
    }

    private static (Machine Machine, Recorder Recorder) Perturbed(int cpus = 1, bool migration = false)
    {
        var machine = new Machine(new MachineConfig { Cpus = cpus, AllowMigration = migration });
        var recorder = new Recorder();
        machine.InstallPerturbation(recorder);
        return (machine, recorder);
    }

    [Fact]
    public void A_spinlock_is_perturbed_before_and_after_taking_it_and_before_and_after_releasing_it()
    {
        var (machine, recorder) = Perturbed();
        var l = new SpinLock(machine, "kmap_lock");
        machine.StartTask("t", 0, () =>
        {
            l.Lock();
            l.Unlock();
            var flags = l.LockIrqSave();
            l.UnlockIrqRestore(flags);
        });
        machine.JoinAll();

        PerturbationPoint[] lockUnlock = [PerturbationPoint.BeforeLock, PerturbationPoint.LockAcquired, PerturbationPoint.BeforeUnlock, PerturbationPoint.AfterUnlock];
        Assert.Equal([.. lockUnlock, .. lockUnlock], recorder.Seen.Select(s => s.Point));
        Assert.All(recorder.Seen, s => Assert.Equal("t", s.Task));
    }

    [Fact]
    public void Spin_trylock_is_perturbed_once_it_holds_the_lock_and_spin_lock_irq_like_spin_lock()
    {
        var (machine, recorder) = Perturbed();
        var l = new SpinLock(machine, "kmap_lock");
        bool first = false, second = true;
        machine.StartTask("t", 0, () =>
        {
            first = l.TryLock();
            second = l.TryLock();   // held (by us): refused, nothing to perturb — trylock never waits
            l.Unlock();
            l.LockIrq();
            l.UnlockIrq();
        });
        machine.JoinAll();

        Assert.Equal((true, false), (first, second));
        Assert.Equal(
        [
            PerturbationPoint.LockAcquired, PerturbationPoint.BeforeUnlock, PerturbationPoint.AfterUnlock,
            PerturbationPoint.BeforeLock, PerturbationPoint.LockAcquired, PerturbationPoint.BeforeUnlock, PerturbationPoint.AfterUnlock,
        ], recorder.Seen.Select(s => s.Point));
    }

    [Fact]
    public void Wake_up_is_perturbed_around_its_queue_lock_and_schedule_before_it_returns()
    {
        var (machine, recorder) = Perturbed();
        var queue = new WaitQueueHead(machine, "pkmap_map_wait");
        machine.StartTask("t", 0, () =>
        {
            queue.WakeUp();
            KernelTask.Current!.Schedule();   // TASK_RUNNING: schedule() returns at once, after its first point
        });
        machine.JoinAll();

        Assert.Equal(
        [
            PerturbationPoint.BeforeWakeUp, PerturbationPoint.BeforeLock, PerturbationPoint.LockAcquired, PerturbationPoint.BeforeUnlock,
            PerturbationPoint.AfterUnlock, PerturbationPoint.AfterWakeUp, PerturbationPoint.BeforeSchedule,
        ], recorder.Seen.Select(s => s.Point));
    }

    [Fact]
    public void A_sleeper_is_perturbed_before_and_after_schedule_and_lock_page_before_and_inside()
    {
        var (machine, recorder) = Perturbed(cpus: 2);
        var pageLock = new SleepingPageLock(machine, "page");
        var queue = new WaitQueueHead(machine, "q");
        var sleeping = machine.StartTask("sleeper", 0, () =>
        {
            var me = KernelTask.Current!;
            pageLock.Lock();
            pageLock.Unlock();
            me.SetCurrentState(TaskState.Uninterruptible);
            queue.Add(me);
            me.Schedule();
            queue.Remove(me);
        });
        machine.StartTask("waker", 1, () =>
        {
            Assert.True(SpinWait.SpinUntil(() => sleeping.Asleep, Bound), "the sleeper never slept");
            queue.WakeUp();
        });
        machine.JoinAll();

        var sleeper = recorder.Seen.Where(s => s.Task == "sleeper").Select(s => s.Point).ToList();
        Assert.Equal([PerturbationPoint.BeforeLock, PerturbationPoint.LockAcquired, PerturbationPoint.BeforeUnlock], sleeper.Take(3));
        Assert.Equal(1, sleeper.Count(p => p == PerturbationPoint.BeforeSchedule));
        Assert.Equal(1, sleeper.Count(p => p == PerturbationPoint.AfterSchedule));
        Assert.True(sleeper.IndexOf(PerturbationPoint.BeforeSchedule) < sleeper.IndexOf(PerturbationPoint.AfterSchedule));
    }

    [Fact]
    public void A_thread_that_is_not_a_kernel_task_is_never_perturbed()
    {
        var (machine, recorder) = Perturbed();
        var l = new SpinLock(machine, "kmap_lock");

        l.Lock();   // the test's own thread, as the stress driver's invariant checks take kmap_lock
        l.Unlock();

        Assert.Empty(recorder.Seen);
    }

    [Fact]
    public void Under_the_systematic_engine_a_perturbation_cannot_be_installed()
    {
        var report = SystematicTest.Run(() => new Machine(new MachineConfig { Cpus = 1 }).InstallPerturbation(new Recorder()),
            new TestOptions { Iterations = 1 });

        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.Contains("perturbation is for native runs", report.Bug!.Message);
    }

    [Fact]
    public void Under_the_systematic_engine_a_task_cannot_park()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            machine.StartTask("t", 0, () => KernelTask.Current!.Park(() => true, TimeSpan.FromMilliseconds(1)));
            machine.JoinAll();
        }, new TestOptions { Iterations = 1 });

        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.Contains("Park is for native runs", report.Bug!.Message);
    }

    [Fact]
    public void A_parked_task_is_off_its_CPU_so_a_sibling_on_that_CPU_runs_meanwhile()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var siblingRan = 0;
        var sawSibling = false;
        var parked = new ManualResetEventSlim();
        machine.StartTask("parker", 0, () =>
        {
            parked.Set();
            var deadline = DateTime.UtcNow + Bound;
            KernelTask.Current!.Park(() => (sawSibling = Volatile.Read(ref siblingRan) == 1) || DateTime.UtcNow > deadline, TimeSpan.FromMilliseconds(1));
        });
        Assert.True(parked.Wait(Bound), "the parker never started");
        machine.StartTask("sibling", 0, () => Volatile.Write(ref siblingRan, 1));   // needs CPU0, which the parker holds unless it parked

        machine.JoinAll();

        Assert.True(sawSibling, "the sibling ran only after the parker gave up waiting for it");
    }

    [Fact]
    public void A_parked_task_resumes_on_the_CPU_the_perturbation_chooses_when_migration_is_allowed()
    {
        var (machine, _) = Perturbed(cpus: 2, migration: true);
        KernelTask? task = null;
        task = machine.StartTask("t", 0, () => KernelTask.Current!.Park(() => true, TimeSpan.FromMilliseconds(1)));

        machine.JoinAll();

        Assert.Equal((1, 1), (task.Cpu.Id, task.Migrations));
    }
}
