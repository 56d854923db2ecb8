using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>
/// The machine's checks once every task has been joined: no task left running, asleep or in TASK_UNINTERRUPTIBLE, no
/// spin lock held, every wait queue empty, the registered checks, and no TLB translation the page tables no longer
/// allow. Each is made to fire by a small wrong program, with its exact message; the right one stays clean.
/// </summary>
public sealed class QuiescentCheckTests
{
    private const long Vpn = 0x100;

    [Fact]
    public void AMachineWhoseTasksEndedClean_IsQuiescent()
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var wq = new WaitQueueHead(machine, "wq");
        var l = new SpinLock(machine, "l");
        machine.StartTasks("t", 1, _ =>
        {
            l.Lock();
            l.Unlock();
            wq.Add(KernelTask.Current!);
            wq.Remove(KernelTask.Current!);
        });
        machine.JoinAll();
        Assert.Null(machine.QuiescentViolation());
    }

    /// <summary>Under the scheduler: a sleeping task is reported while it sleeps, and nothing once it is woken and joined.</summary>
    [Fact]
    public void ATaskStillAsleep_IsReported_UntilItIsWokenAndJoined()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 2 });
            var wq = new WaitQueueHead(machine, "wq");
            var sleeper = machine.StartTask("sleeper", 0, () =>
            {
                var me = KernelTask.Current!;
                wq.Add(me);
                me.SetCurrentState(TaskState.Uninterruptible);
                me.Schedule();
                wq.Remove(me);
            });
            Sim.WaitUntil(() => sleeper.Asleep, "the sleeper sleeps");
            var asleep = machine.QuiescentViolation();
            Sim.Assert(asleep == "at quiescence task sleeper has not exited (it sleeps in TASK_UNINTERRUPTIBLE on wq)", $"got: {asleep}");
            wq.WakeUp();
            machine.JoinAll();
            var after = machine.QuiescentViolation();
            Sim.Assert(after is null, $"got: {after}");
        }, new TestOptions { Strategy = "random", Iterations = 50 });
        Assert.True(report.Bug is null, report.Bug?.ToString());
    }

    [Fact]
    public void ATaskThatSetItsStateAndNeverSlept_IsReported()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        machine.StartTask("t", 0, () => KernelTask.Current!.SetCurrentState(TaskState.Uninterruptible));
        machine.JoinAll();
        Assert.Equal("at quiescence task t exited in TASK_UNINTERRUPTIBLE (a set_current_state without the schedule() or " +
                     "set_current_state(TASK_RUNNING) after it)", machine.QuiescentViolation());
    }

    [Fact]
    public void ASpinLockHeldOutsideAnyTask_IsReported()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "zone->lock");
        l.Lock();   // the test thread is no kernel task: no exit check will see it
        Assert.Equal("at quiescence spin lock zone->lock is still held outside any task", machine.QuiescentViolation());
        l.Unlock();
        Assert.Null(machine.QuiescentViolation());
    }

    [Fact]
    public void AWaitQueueEntryLeftBehind_IsReported()
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var wq = new WaitQueueHead(machine, "pkmap_map_wait");
        machine.StartTasks("t", 1, _ => wq.Add(KernelTask.Current!));   // add_wait_queue, never removed
        machine.JoinAll();
        Assert.Equal("at quiescence wait queue pkmap_map_wait still holds t/0, t/1 (an add_wait_queue without its remove_wait_queue)",
            machine.QuiescentViolation());
    }

    [Fact]
    public void RegisteredChecks_RunAfterTheKernelsOwn_InRegistrationOrder()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        machine.AddQuiescentCheck(() => null);
        machine.AddQuiescentCheck(() => "at quiescence 1 page(s) never freed");
        machine.AddQuiescentCheck(() => "not reached");
        machine.JoinAll();
        Assert.Equal("at quiescence 1 page(s) never freed", machine.QuiescentViolation());
        l.Lock();
        Assert.Equal("at quiescence spin lock l is still held outside any task", machine.QuiescentViolation());
        l.Unlock();
    }

    [Fact]
    public void AStaleTranslation_IsReported_AndAFlushedOneIsNot()
    {
        var ptes = new Dictionary<long, int> { [Vpn] = 7 };
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        machine.MapKernelRange("pkmap", Vpn, 4, vpn => ptes.TryGetValue(vpn, out var pfn) ? pfn : null);
        machine.StartTask("reader", 1, () => Machine.CurrentCpuOrThrow.Translate(Vpn));
        machine.JoinAll();
        Assert.Null(machine.QuiescentViolation());   // the cached translation agrees with the PTE
        ptes.Remove(Vpn);                            // pte_clear without flush_tlb_kernel_range
        Assert.Equal("at quiescence CPU1's TLB maps virtual page 0x100 (pkmap) to pfn 0x7 but the page tables map nothing there " +
                     "(a stale translation: a PTE changed without its TLB flush)", machine.QuiescentViolation());
        ptes[Vpn] = 8;                               // or a new frame: the old translation is just as stale
        Assert.Contains("to pfn 0x7 but the page tables map pfn 0x8 there", machine.QuiescentViolation());
        machine.FlushTlbKernelRange(Vpn, Vpn + 4);
        Assert.Null(machine.QuiescentViolation());
    }

    [Fact]
    public void CheckQuiescent_FailsTheRunWithTheViolation()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            var wq = new WaitQueueHead(machine, "wq");
            machine.StartTask("t", 0, () => wq.Add(KernelTask.Current!));
            machine.JoinAll();
            machine.CheckQuiescent();
        }, new TestOptions { Strategy = "random", Iterations = 10 });
        Assert.Equal(BugKind.AssertionFailure, report.Bug?.Kind);
        Assert.Equal("at quiescence wait queue wq still holds t (an add_wait_queue without its remove_wait_queue)", report.Bug?.Message);
    }

    [Fact]
    public void AnAbortedMachine_IsNotChecked()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        l.Lock();
        machine.Abort("watchdog: no progress");
        Assert.Null(machine.QuiescentViolation());
        l.Unlock();
    }
}
