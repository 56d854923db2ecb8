using System.Collections.Concurrent;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// Delivers pending hardirqs, softirqs and NMIs to a CPU at the model's interrupt points. Hardirqs go through the
/// kernel's <see cref="Cpu.InterruptWindow"/> (which also preempts); a softirq runs only outside interrupt context
/// with BHs and IRQs enabled; an NMI runs whatever the IRQ flag. Whether a pending one fires at a given point is a
/// controlled choice, so the strategy explores every place it can land.
/// </summary>
public sealed class InterruptInjector
{
    private readonly Machine _machine;
    private readonly ConcurrentQueue<(string Name, Action<Cpu> Handler)>[] _softirqs;
    private readonly ConcurrentQueue<(string Name, Action<Cpu> Handler)>[] _nmis;

    /// <summary>Creates the injector for <paramref name="machine"/>.</summary>
    internal InterruptInjector(Machine machine)
    {
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _softirqs = machine.Cpus.Select(_ => new ConcurrentQueue<(string, Action<Cpu>)>()).ToArray();
        _nmis = machine.Cpus.Select(_ => new ConcurrentQueue<(string, Action<Cpu>)>()).ToArray();
    }

    /// <summary>raise_softirq on CPU <paramref name="cpu"/>.</summary>
    public void RaiseSoftirq(int cpu, string name, Action<Cpu> handler) => _softirqs[cpu].Enqueue((name, handler));

    /// <summary>Makes an NMI pending on CPU <paramref name="cpu"/>.</summary>
    public void RaiseNmi(int cpu, string name, Action<Cpu> handler) => _nmis[cpu].Enqueue((name, handler));

    /// <summary>Makes a device interrupt pending on CPU <paramref name="cpu"/>.</summary>
    public void RaiseIrq(int cpu, string name, Action<Cpu> handler) => _machine.RaiseIrq(new IrqLine(name, handler), cpu);

    /// <summary>
    /// A point between two steps of the model where <paramref name="cpu"/> may take an NMI, an IPI or hardirq, be
    /// preempted (if preemptible), or run a softirq.
    /// </summary>
    public void Window(Cpu cpu)
    {
        NmiWindow(cpu);
        cpu.InterruptWindow();
        var queue = _softirqs[cpu.Id];
        if (!queue.IsEmpty && !cpu.IrqsDisabled && !cpu.InInterruptOrBhDisabled && Sim.Choose(2) == 0 &&
            queue.TryDequeue(out var softirq))
            cpu.RunSoftIrq(softirq.Name, softirq.Handler);
    }

    /// <summary>A point where only an NMI can arrive (e.g. inside a context switch, with IRQs off in the kernel).</summary>
    public void NmiWindow(Cpu cpu)
    {
        var queue = _nmis[cpu.Id];
        if (!queue.IsEmpty && !cpu.InNmi && Sim.Choose(2) == 0 && queue.TryDequeue(out var nmi))
            cpu.RunNmi(nmi.Name, nmi.Handler);
    }
}
