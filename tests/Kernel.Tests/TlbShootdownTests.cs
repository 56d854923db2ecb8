using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.Kernel.Tests;

/// <summary>flush_tlb_kernel_range: IPIs answered at interrupt windows and while spinning with IRQs on; H3 otherwise.</summary>
public sealed class TlbShootdownTests
{
    private const long Vpn = 0x100;
    private const int Pfn = 0x4242;

    /// <summary>
    /// CPU1 caches a translation, then takes a lock (IRQs off when <paramref name="irqOff"/>); CPU0 flushes the
    /// range while holding the same lock.
    /// </summary>
    private static Action FlushUnderLock(bool irqOff) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        machine.MapKernelRange("test", Vpn, 1, vpn => vpn == Vpn ? Pfn : null);
        var l = new SpinLock(machine, "l");
        machine.StartTask("flusher", 0, () =>
        {
            l.Lock();
            machine.FlushTlbKernelRange(Vpn, Vpn + 1);
            Sim.Assert(machine.Cpus[1].Tlb.Lookup(Vpn) is null, "CPU1 still caches the flushed page after the shootdown returned");
            l.Unlock();
        });
        machine.StartTask("reader", 1, () =>
        {
            var cpu = KernelTask.Current!.Cpu;
            Sim.Assert(cpu.Translate(Vpn) == Pfn, "wrong translation");
            if (irqOff) l.LockIrq();
            else l.Lock();
            if (irqOff) l.UnlockIrq();
            else l.Unlock();
        });
        machine.JoinAll();
    };

    [Theory, InlineData("random"), InlineData("pct")]
    public void IpiShootdown_CompletesWhileTheTargetSpinsWithIrqsOn(string strategy)
    {
        var report = SystematicTest.Run(FlushUnderLock(irqOff: false), new TestOptions { Strategy = strategy, Iterations = 1000 });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
    }

    [Fact]
    public void IpiShootdown_DeadlocksWhenTheTargetSpinsWithIrqsOff()
    {
        var report = SystematicTest.Run(FlushUnderLock(irqOff: true), new TestOptions { Strategy = "pct", Iterations = 1000 });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Contains("CPU0 waits in flush_tlb_kernel_range for CPU1 to run the TLB-shootdown IPI handler", report.Bug!.Message);
        Assert.Contains("has IRQs disabled and cannot take the IPI", report.Bug.Message);
    }

    [Fact]
    public void BroadcastFlush_ClearsOtherTlbsWithoutIpis()
    {
        var machine = new Machine(new MachineConfig { Cpus = 2, TlbFlush = TlbFlushMode.Broadcast });
        machine.MapKernelRange("test", Vpn, 1, _ => Pfn);
        machine.Cpus[1].Tlb.Fill(Vpn, Pfn);
        machine.StartTask("flusher", 0, () => machine.FlushTlbKernelRange(Vpn, Vpn + 1));
        machine.JoinAll();
        Assert.Null(machine.Cpus[1].Tlb.Lookup(Vpn));
        Assert.Equal(0, machine.Counters["tlb.ipis"]);
    }

    [Fact]
    public void IdleCpus_AreFlushedByTheInitiator()
    {
        var machine = new Machine(new MachineConfig { Cpus = 3 });
        machine.MapKernelRange("test", Vpn, 1, _ => Pfn);
        machine.Cpus[2].Tlb.Fill(Vpn, Pfn);                  // CPU2 never runs a task
        machine.StartTask("flusher", 0, () => machine.FlushTlbKernelRange(Vpn, Vpn + 1));
        machine.JoinAll();
        Assert.Null(machine.Cpus[2].Tlb.Lookup(Vpn));
    }
}
