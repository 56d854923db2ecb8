using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

public sealed partial class Machine
{
    /// <summary>
    /// flush_tlb_kernel_range(): drops the range from this CPU's TLB and from every other CPU's. In
    /// <see cref="TlbFlushMode.Ipi"/> mode each other CPU must run the IPI handler itself, which it does at its next
    /// interrupt window with IRQs enabled (or while spinning on a lock with IRQs enabled, or asleep); the initiator
    /// waits — disabled, not spinning, under test — until all have acknowledged, answering IPIs sent to it meanwhile
    /// if its own IRQs are on. A CPU without live tasks is idle and answers at once.
    /// </summary>
    public void FlushTlbKernelRange(long startVpn, long endVpn)
    {
        var cpu = CurrentCpu;
        Counters.Add("tlb.shootdowns");
        Sim.SchedulingPoint("flush_tlb_kernel_range");
        cpu?.Tlb.FlushRange(startVpn, endVpn);
        var others = Cpus.Where(c => c != cpu).ToArray();
        if (Config.TlbFlush == TlbFlushMode.Broadcast || cpu is null)
        {
            foreach (var c in others) c.Tlb.FlushRange(startVpn, endVpn);
            return;
        }

        var request = new ShootdownRequest(cpu.Id, startVpn, endVpn, others.Select(c => c.Id), Cpus.Count);
        foreach (var c in others)
        {
            c.EnqueueIpi(request);
            Counters.Add("tlb.ipis");
        }
        cpu.WaitingForShootdown = request;
        while (true)
        {
            foreach (var c in others)
                if (c.LiveTasks == 0) c.DrainIpis();   // an idle CPU answers at once
            if (request.Complete) break;
            var waitingFor = string.Join(",", request.PendingTargets().Select(t => $"CPU{t}"));
            Sim.WaitUntil(() => request.Complete || Aborted || (!cpu.IrqsDisabled && cpu.HasPendingIpi) ||
                                others.Any(c => c.LiveTasks == 0 && c.HasPendingIpi),
                $"CPU{cpu.Id}'s TLB-shootdown IPIs are acknowledged by {waitingFor}");
            ThrowIfAborted();
            if (!cpu.IrqsDisabled) cpu.ServiceIpis();
        }
        cpu.WaitingForShootdown = null;
    }
}
