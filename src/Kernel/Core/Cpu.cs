using System.Collections.Concurrent;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// One simulated CPU: its id, preempt count, local IRQ flag, stack of contexts, TLB, and the mailboxes through which
/// other CPUs reach it (TLB-shootdown IPIs, pending device IRQs). Its per-CPU fields are only touched by the code
/// running on it (one task at a time, plus interrupts nested on that task's thread), as in the kernel.
/// </summary>
public sealed partial class Cpu
{
    private readonly Stack<ContextKind> _contexts = new([ContextKind.Process]);
    private readonly ConcurrentQueue<ShootdownRequest> _ipis = new();
    private readonly ConcurrentQueue<IrqLine> _pendingIrqs = new();
    private readonly List<KernelTask> _tasks = [];
    private int _liveTasks;
    private volatile KernelTask? _currentTask;

    internal Cpu(Machine machine, int id, MachineConfig config)
    {
        Machine = machine;
        Id = id;
        Tlb = new Tlb(id);
        RunQueueLock = new SimLock($"cpu{id}.run");
    }

    /// <summary>The machine this CPU belongs to.</summary>
    public Machine Machine { get; }

    /// <summary>smp_processor_id().</summary>
    public int Id { get; }

    /// <summary>This CPU's translation cache.</summary>
    public Tlb Tlb { get; }

    /// <summary>preempt_count(): spinlocks and preempt_disable raise it; 0 means preemptible.</summary>
    public int PreemptCount { get; private set; }

    /// <summary>irqs_disabled(): local interrupts are off.</summary>
    public bool IrqsDisabled { get; private set; }

    /// <summary>The innermost context running on this CPU.</summary>
    public ContextKind Context => _contexts.Peek();

    /// <summary>in_interrupt(): hardirq or softirq context.</summary>
    public bool InInterrupt => Context != ContextKind.Process;

    /// <summary>in_atomic(): preemption disabled or interrupt context; sleeping here is a bug.</summary>
    public bool InAtomic => PreemptCount > 0 || InInterrupt;

    /// <summary>The task currently owning this CPU, or null when it is idle.</summary>
    public KernelTask? CurrentTask => _currentTask;

    /// <summary>The tasks bound to this CPU.</summary>
    public IReadOnlyList<KernelTask> Tasks => _tasks;

    /// <summary>True while a TLB-shootdown IPI waits for this CPU (a peek).</summary>
    public bool HasPendingIpi => !_ipis.IsEmpty;

    internal SimLock RunQueueLock { get; }

    internal bool Shared => _tasks.Count > 1 || Machine.Config.AllowMigration;

    internal int LiveTasks => Volatile.Read(ref _liveTasks);

    /// <summary>The shootdown this CPU is waiting for, if it is inside flush_tlb_kernel_range (for reports).</summary>
    internal volatile ShootdownRequest? WaitingForShootdown;

    internal void AddTask(KernelTask task)
    {
        _tasks.Add(task);
        Interlocked.Increment(ref _liveTasks);
    }

    // ------------------------------------------------------------------ preemption and local IRQs

    /// <summary>preempt_disable().</summary>
    public void PreemptDisable() => PreemptCount++;

    /// <summary>preempt_enable(): at 0 the CPU may take pending interrupts and switch tasks.</summary>
    public void PreemptEnable()
    {
        if (PreemptCount <= 0) throw new KernelBugException($"BUG: preempt_enable() underflow on CPU{Id}");
        if (--PreemptCount == 0) InterruptWindow();
    }

    /// <summary>local_irq_save(): disables local IRQs and returns the previous state.</summary>
    public IrqFlags LocalIrqSave()
    {
        var flags = new IrqFlags(IrqsDisabled);
        IrqsDisabled = true;
        return flags;
    }

    /// <summary>local_irq_restore(): pending interrupts may fire as soon as IRQs are back on.</summary>
    public void LocalIrqRestore(IrqFlags flags)
    {
        IrqsDisabled = flags.WereDisabled;
        if (!IrqsDisabled) InterruptWindow();
    }

    /// <summary>local_irq_disable().</summary>
    public void LocalIrqDisable() => IrqsDisabled = true;

    /// <summary>local_irq_enable().</summary>
    public void LocalIrqEnable()
    {
        IrqsDisabled = false;
        InterruptWindow();
    }

    /// <summary>
    /// A point where this CPU may take pending interrupts (IPIs at once, a device IRQ if the strategy chooses) and,
    /// when preemptible and shared by several tasks, switch to another task. It is a scheduling point only when one
    /// of those can happen, so workloads without interrupts pay nothing.
    /// </summary>
    public void InterruptWindow()
    {
        if (IrqsDisabled) return;
        if (HasPendingIpi) ServiceIpis();
        if (Context != ContextKind.HardIrq && !_pendingIrqs.IsEmpty && Sim.Choose(Machine.Config.IrqFireChoices) == 0 &&
            _pendingIrqs.TryDequeue(out var line))
            RunIrq(line);
        if (Shared && PreemptCount == 0 && Context == ContextKind.Process) Reschedule();
    }

    // ------------------------------------------------------------------ interrupts

    /// <summary>Marks <paramref name="line"/> pending on this CPU; it fires at one of the CPU's later interrupt windows.</summary>
    public void RaiseIrq(IrqLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _pendingIrqs.Enqueue(line);
    }

    private void RunIrq(IrqLine line)
    {
        Machine.Counters.Add("irqs");
        if (Sim.IsControlled) Sim.Note($"CPU{Id} takes IRQ '{line.Name}'");
        var saved = IrqsDisabled;
        IrqsDisabled = true;
        _contexts.Push(ContextKind.HardIrq);
        line.Handler(this);
        _contexts.Pop();
        IrqsDisabled = saved;
    }

    internal void EnqueueIpi(ShootdownRequest request) => _ipis.Enqueue(request);

    /// <summary>Runs the TLB-shootdown IPI handler for every request pending on this CPU (one scheduling point).</summary>
    internal void ServiceIpis()
    {
        if (_ipis.IsEmpty) return;
        Sim.SchedulingPoint($"CPU{Id} IPI handler: flush TLB");
        DrainIpis();
    }

    /// <summary>Runs pending IPI handlers without a scheduling point (also used for an idle CPU by the initiator).</summary>
    internal void DrainIpis()
    {
        while (_ipis.TryDequeue(out var request))
        {
            Tlb.FlushRange(request.StartVpn, request.EndVpn);
            request.Acknowledge(Id);
            if (Sim.IsControlled) Sim.Note($"CPU{Id} flushed its TLB for CPU{request.Initiator}'s shootdown");
        }
    }

    // ------------------------------------------------------------------ task switching

    // The run-queue lock is always used (not only when the CPU is shared): tasks are bound one by one, so a task
    // that started alone on its CPU may get a sibling later. Natively it is a ticket lock so that a task switch at a
    // preemption point really hands the CPU to the sibling that waits longest.
    private int _runNext;
    private int _runServing;
    private int _runOwnerThread;

    internal void TakeCpu(KernelTask task)
    {
        if (Sim.IsControlled)
        {
            RunQueueLock.Enter();
        }
        else
        {
            var ticket = Interlocked.Increment(ref _runNext) - 1;
            var spinner = new SpinWait();
            while (Volatile.Read(ref _runServing) != ticket)
            {
                Machine.ThrowIfAborted();
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            _runOwnerThread = Environment.CurrentManagedThreadId;
        }
        _currentTask = task;
    }

    internal void LeaveCpu()
    {
        _currentTask = null;
        if (Sim.IsControlled)
        {
            RunQueueLock.Exit();
            return;
        }
        _runOwnerThread = 0;
        Volatile.Write(ref _runServing, _runServing + 1);
    }

    /// <summary>Gives the CPU up if the calling task holds it (a failed task, natively, so its siblings can unwind).</summary>
    internal void AbandonCpu()
    {
        if (_runOwnerThread != Environment.CurrentManagedThreadId) return;
        LeaveCpu();
    }

    private void Reschedule()
    {
        var me = _currentTask;
        if (me is null) return;
        me.SwitchOut(this);
        LeaveCpu();
        me.Resume(this);
    }

    /// <summary>The last thing a task does on this CPU: answer pending IPIs, then stop counting as live.</summary>
    internal void RetireTask()
    {
        // No scheduling point between the empty check and the decrement: an initiator either sees the CPU live
        // (and this loop answers its IPI) or dead (and it flushes this TLB itself).
        while (true)
        {
            ServiceIpis();
            if (_ipis.IsEmpty)
            {
                Interlocked.Decrement(ref _liveTasks);
                return;
            }
        }
    }

    /// <summary>A one-line description for deadlock and hang reports.</summary>
    public string Describe() =>
        $"CPU{Id} (task {(_currentTask?.Name ?? "idle")}, context {Context}, preempt_count {PreemptCount}, " +
        $"IRQs {(IrqsDisabled ? "off" : "on")}{(HasPendingIpi ? ", IPI pending" : "")}" +
        $"{(WaitingForShootdown is { Complete: false } r ? $", waiting for TLB-shootdown acks from {string.Join(",", r.PendingTargets().Select(t => $"CPU{t}"))}" : "")})";
}
