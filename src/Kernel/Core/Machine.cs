using System.Text;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// A simulated SMP machine: NR_CPUS CPUs and the kernel tasks bound to them. Create one per run (per iteration under
/// test); it holds every bit of per-run kernel state. The same code runs under the controlled scheduler and natively.
/// </summary>
public sealed partial class Machine
{
    private readonly List<KernelTask> _tasks = [];
    private volatile string? _abortReason;

    /// <summary>Creates the machine; under test it also registers a deadlock explainer for IPI waits.</summary>
    public Machine(MachineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(config.Cpus, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(config.IrqFireChoices, 1);
        Config = config;
        Cpus = Enumerable.Range(0, config.Cpus).Select(i => new Cpu(this, i, config)).ToArray();
        Interrupts = new InterruptInjector(this);
        if (Sim.IsControlled) Sim.OnDeadlock(ExplainIpiDeadlock);
    }

    /// <summary>The machine's shape.</summary>
    public MachineConfig Config { get; }

    /// <summary>The CPUs, indexed by id.</summary>
    public IReadOnlyList<Cpu> Cpus { get; }

    /// <summary>Softirq and NMI delivery (beside each CPU's hardirq lines) at the model's interrupt points.</summary>
    public InterruptInjector Interrupts { get; }

    /// <summary>Every task started, in start order.</summary>
    public IReadOnlyList<KernelTask> Tasks => _tasks;

    /// <summary>Activity counters (for stress reports).</summary>
    public KernelCounters Counters { get; } = new();

    /// <summary>True once <see cref="Abort"/> was called (native runs only).</summary>
    public bool Aborted => _abortReason is not null;

    /// <summary>Why the machine was aborted, or null.</summary>
    public string? AbortReason => _abortReason;

    /// <summary>The CPU the caller runs on, or null when the caller is not a kernel task.</summary>
    public static Cpu? CurrentCpu => KernelTask.Current?.Cpu;

    /// <summary>The CPU the caller runs on; throws when the caller is not a kernel task.</summary>
    public static Cpu CurrentCpuOrThrow =>
        CurrentCpu ?? throw new InvalidOperationException("this kernel operation must run on a kernel task (Machine.StartTask)");

    /// <summary>Starts a task bound to CPU <paramref name="cpu"/> running <paramref name="body"/>.</summary>
    public KernelTask StartTask(string name, int cpu, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(cpu);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cpu, Cpus.Count);
        var task = new KernelTask(this, _tasks.Count, name, Cpus[cpu]);
        Cpus[cpu].AddTask(task);
        _tasks.Add(task);
        task.Start(body);
        return task;
    }

    /// <summary>
    /// Starts <paramref name="tasksPerCpu"/> tasks on every CPU, named <c>{prefix}/{cpu}.{n}</c>; the body receives the
    /// task's global index.
    /// </summary>
    public IReadOnlyList<KernelTask> StartTasks(string prefix, int tasksPerCpu, Action<int> body)
    {
        var started = new List<KernelTask>();
        for (var n = 0; n < tasksPerCpu; n++)
            for (var c = 0; c < Cpus.Count; c++)
            {
                var index = started.Count;
                started.Add(StartTask(tasksPerCpu == 1 ? $"{prefix}/{c}" : $"{prefix}/{c}.{n}", c, () => body(index)));
            }
        return started;
    }

    /// <summary>Waits for every task. Natively, the first task failure (other than the abort it caused) is rethrown.</summary>
    public void JoinAll()
    {
        Exception? first = null;
        foreach (var t in _tasks)
        {
            try
            {
                t.Thread.Join();
            }
            catch (SimThreadException e) when (!Sim.IsControlled)
            {
                if (e.InnerException is not MachineAbortedException) first ??= e.InnerException;
            }
        }
        if (first is not null) throw first;
    }

    /// <summary>Stops a native run: every thread spinning or sleeping in the kernel unwinds with <see cref="MachineAbortedException"/>.</summary>
    public void Abort(string reason) => Interlocked.CompareExchange(ref _abortReason, reason, null);

    /// <summary>Throws <see cref="MachineAbortedException"/> when the machine was aborted.</summary>
    public void ThrowIfAborted()
    {
        if (_abortReason is { } reason) throw new MachineAbortedException(reason);
    }

    /// <summary>Raises <paramref name="line"/> on CPU <paramref name="cpu"/>.</summary>
    public void RaiseIrq(IrqLine line, int cpu) => Cpus[cpu].RaiseIrq(line);

    /// <summary>
    /// might_sleep(): reports "sleeping function called from invalid context" when the caller is atomic (preemption
    /// or IRQs disabled, or interrupt context). A no-op for callers that are not kernel tasks.
    /// </summary>
    public static void MightSleep(string function)
    {
        var task = KernelTask.Current;
        if (task is null) return;
        var cpu = task.Cpu;
        if (!cpu.InAtomic && !cpu.IrqsDisabled) return;
        Sim.Fail(BugKind.AssertionFailure,
            $"BUG: sleeping function called from invalid context at {function}: in_atomic(): {(cpu.InAtomic ? 1 : 0)}, " +
            $"irqs_disabled(): {(cpu.IrqsDisabled ? 1 : 0)}, context: {cpu.Context}, CPU{cpu.Id}, task: {task.Name}");
    }

    private string? ExplainIpiDeadlock()
    {
        var sb = new StringBuilder();
        foreach (var cpu in Cpus)
        {
            if (cpu.WaitingForShootdown is not { Complete: false } request) continue;
            foreach (var target in request.PendingTargets())
            {
                var t = Cpus[target];
                if (sb.Length > 0) sb.Append("; ");
                sb.Append($"CPU{cpu.Id} waits in flush_tlb_kernel_range for CPU{target} to run the TLB-shootdown IPI handler, ");
                sb.Append(t.IrqsDisabled
                    ? $"but {t.Describe()} has IRQs disabled and cannot take the IPI (IPI wait while others spin with IRQs off, H3)"
                    : $"and {t.Describe()} never reaches an interrupt window");
            }
        }
        return sb.Length == 0 ? null : sb.ToString();
    }
}
