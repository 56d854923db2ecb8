using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>Device interrupts fire only where the CPU has IRQs on, nested in hardirq context; might_sleep sees them.</summary>
public sealed class InterruptTests
{
    [Fact]
    public void Irq_FiresOnlyWithIrqsOn_NestedInHardirq()
    {
        var fired = 0;
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 2 });
            var inIrqOffSection = false;
            var line = new IrqLine("dev", cpu =>
            {
                Sim.Assert(!inIrqOffSection, "IRQ fired inside local_irq_save");
                Sim.Assert(cpu.Context == ContextKind.HardIrq && cpu.IrqsDisabled, "handler not in hardirq with IRQs off");
                Sim.Assert(cpu.Id == 0, "handler ran on the wrong CPU");
                fired++;
            });
            machine.StartTask("t", 0, () =>
            {
                var cpu = KernelTask.Current!.Cpu;
                cpu.RaiseIrq(line);
                var flags = cpu.LocalIrqSave();
                inIrqOffSection = true;
                cpu.InterruptWindow();                       // no IRQ may fire here
                Sim.Yield();
                inIrqOffSection = false;
                cpu.LocalIrqRestore(flags);                  // may fire here...
                cpu.InterruptWindow();                       // ...or here
                Sim.Assert(cpu.Context == ContextKind.Process && !cpu.IrqsDisabled, "context not restored after the IRQ");
            });
            machine.JoinAll();
        }, new TestOptions { Strategy = "random", Iterations = 200 });
        Assert.True(report.Bug is null, report.ToString());
        Assert.InRange(fired, 1, 199);                       // the strategy chose both ways
    }

    [Fact]
    public void MightSleep_InAnInterruptHandler_IsReported()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 1, IrqFireChoices = 1 });
            machine.StartTask("t", 0, () =>
            {
                var cpu = KernelTask.Current!.Cpu;
                cpu.RaiseIrq(new IrqLine("dev", _ => Machine.MightSleep("mutex_lock")));
                cpu.InterruptWindow();
            });
            machine.JoinAll();
        }, new TestOptions { Strategy = "random", Iterations = 10 });
        Assert.Equal(BugKind.AssertionFailure, report.Bug?.Kind);
        Assert.Equal("BUG: sleeping function called from invalid context at mutex_lock: in_atomic(): 1, irqs_disabled(): 1, context: HardIrq, CPU0, task: t",
            report.Bug!.Message);
    }

    [Fact]
    public void TasksSharingACpu_NeverInterleaveInsidePreemptDisabledSections()
    {
        var report = SystematicTest.Run(() =>
        {
            var machine = new Machine(new MachineConfig { Cpus = 1 });
            var perCpu = new PerCpu<int>(machine, _ => 0);
            var shared = new SimVar<int>(0, "preemptible");
            machine.StartTasks("t", 2, _ =>
            {
                var cpu = KernelTask.Current!.Cpu;
                for (var i = 0; i < 2; i++)
                {
                    cpu.PreemptDisable();
                    var v = perCpu.Current;                  // per-CPU data: safe only with preemption off
                    Sim.Yield();
                    perCpu.Current = v + 1;
                    cpu.PreemptEnable();                     // a preemption point
                    shared.Write(shared.Read() + 1);
                }
            });
            machine.JoinAll();
            Sim.Assert(perCpu[0] == 4, $"per-CPU counter is {perCpu[0]}");
        }, new TestOptions { Strategy = "random", Iterations = 500 });
        Assert.True(report.Bug is null, report.ToString());
    }
}
