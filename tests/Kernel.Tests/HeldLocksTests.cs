using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>lockdep's held_locks per task: pushed by every acquisition, dropped by the matching release, in any order.</summary>
public sealed class HeldLocksTests
{
    [Fact]
    public void EachTaskRecordsWhatItHolds_InAcquisitionOrder_BeyondTheInitialCapacity()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var locks = Enumerable.Range(0, 6).Select(i => new SpinLock(machine, $"l{i}")).ToArray();
        machine.StartTask("t", 0, () =>
        {
            var held = KernelTask.Current!.HeldLocks;
            foreach (var l in locks) l.Lock();
            Assert.Equal(6, held.Depth);
            Assert.Equal("#0: l0, #1: l1, #2: l2, #3: l3, #4: l4, #5: l5", held.Describe());
            locks[5].Unlock();                 // LIFO
            locks[1].Unlock();                 // from the middle
            Assert.Equal("#0: l0, #1: l2, #2: l3, #3: l4", held.Describe());
            Assert.Same(locks[4], held[3]);
            Assert.Throws<ArgumentOutOfRangeException>(() => held[4]);
            foreach (var i in new[] { 0, 2, 3, 4 }) locks[i].Unlock();
            Assert.Equal(0, held.Depth);
            Assert.Equal("", held.Describe());
        });
        machine.JoinAll();
    }

    [Fact]
    public void ALockTakenByAnInterruptHandler_CountsForTheInterruptedTaskUntilTheHandlerDropsIt()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1, IrqFireChoices = 1 });   // a pending IRQ fires at the first window
        var a = new SpinLock(machine, "a");
        var irqLock = new SpinLock(machine, "irq_lock");
        var inHandler = "";
        machine.StartTask("t", 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            a.Lock();
            cpu.RaiseIrq(new IrqLine("dev", _ =>
            {
                irqLock.Lock();
                inHandler = KernelTask.Current!.HeldLocks.Describe();
                irqLock.Unlock();
            }));
            cpu.InterruptWindow();   // IRQs are on: the handler runs here, nested on t, while t holds a
            Assert.Equal("#0: a", KernelTask.Current!.HeldLocks.Describe());
            a.Unlock();
        });
        machine.JoinAll();
        Assert.Equal("#0: a, #1: irq_lock", inHandler);
    }

    [Fact]
    public void ALockTakenOutsideAnyTask_IsRecordedOnNoTask()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var l = new SpinLock(machine, "l");
        l.Lock();
        Assert.Null(l.Owner);
        Assert.True(l.IsLocked);
        l.Unlock();
        Assert.False(l.IsLocked);
    }
}
