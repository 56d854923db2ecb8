using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>spin_lock and friends: mutual exclusion, preemption and IRQ accounting, recursion.</summary>
public sealed class SpinLockTests
{
    private static Action Counter(bool locked) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var lockObject = new SpinLock(machine, "counter_lock");
        var counter = new SimVar<int>(0, "counter");
        machine.StartTasks("inc", 1, _ =>
        {
            for (var i = 0; i < 2; i++)
            {
                if (locked) lockObject.Lock();
                counter.Write(counter.Read() + 1);
                if (locked) lockObject.Unlock();
            }
        });
        machine.JoinAll();
        Sim.Assert(counter.Peek == 4, $"lost update: counter is {counter.Peek}");
    };

    [Theory, InlineData("random"), InlineData("pct")]
    public void Lock_ExcludesOtherCpus(string strategy)
    {
        var report = SystematicTest.Run(Counter(locked: true), new TestOptions { Strategy = strategy, Iterations = 1000 });
        Assert.True(report.Bug is null, report.ToString());
    }

    [Fact]
    public void WithoutTheLock_TheRaceIsFound()
    {
        var report = SystematicTest.Run(Counter(locked: false), new TestOptions { Strategy = "pct", Iterations = 1000 });
        Assert.Equal(BugKind.DataRace, report.Bug?.Kind);
    }

    [Fact]
    public void Lock_DisablesPreemption_AndIrqSaveRestoresThePreviousState()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var a = new SpinLock(machine, "a");
        var b = new SpinLock(machine, "b");
        machine.StartTask("t", 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            Assert.Equal(0, cpu.PreemptCount);
            var outer = a.LockIrqSave();
            Assert.True(cpu.IrqsDisabled);
            Assert.Equal(1, cpu.PreemptCount);
            var inner = b.LockIrqSave();
            Assert.True(inner.WereDisabled);
            Assert.Equal(2, cpu.PreemptCount);
            Assert.True(cpu.InAtomic);
            b.UnlockIrqRestore(inner);
            Assert.True(cpu.IrqsDisabled);                 // still inside the outer irqsave
            a.UnlockIrqRestore(outer);
            Assert.False(cpu.IrqsDisabled);
            Assert.Equal(0, cpu.PreemptCount);
            Assert.Equal("a", a.Name);
        });
        machine.JoinAll();
        Assert.Equal(1, a.Acquisitions);
    }

    [Fact]
    public void Recursion_IsABug()
    {
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var a = new SpinLock(machine, "a");
        machine.StartTask("t", 0, () =>
        {
            a.Lock();
            a.Lock();
        });
        var e = Assert.Throws<KernelBugException>(machine.JoinAll);
        Assert.Contains("spinlock recursion on a", e.Message);
    }

    [Fact]
    public void Natively_TheLockExcludesRealThreads()
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var lockObject = new SpinLock(machine, "l");
        var counter = 0;
        machine.StartTasks("inc", 1, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                lockObject.Lock();
                counter++;
                lockObject.Unlock();
            }
        });
        machine.JoinAll();
        Assert.Equal(10_000, counter);
        Assert.Equal(10_000, lockObject.Acquisitions);
    }
}
