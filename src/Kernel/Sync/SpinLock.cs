using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// spinlock_t. Holding it disables preemption; the <c>_irq</c>/<c>_irqsave</c> forms also disable local IRQs first.
/// A CPU that finds it held keeps spinning — and, if its IRQs are on, keeps answering IPIs while it spins, which is
/// what makes an IPI wait under an IRQ-disabled lock (H3) a deadlock and an IPI wait under a plain lock fine. Under
/// test the spinner is disabled (never busy-waits) until the lock is free or an IPI needs it; natively it is a fair
/// ticket lock. Each acquisition by a task is pushed on its <see cref="KernelTask.HeldLocks"/> (lockdep) and popped by
/// the release, so a task that returns holding the lock is named at its exit; the machine tracks every lock made on
/// it, so one still held at quiescence is reported too.
/// </summary>
public sealed class SpinLock
{
    private readonly Machine _machine;
    private readonly SimLock _lock;
    private volatile KernelTask? _owner;
    private volatile bool _ownerIsOutsider;
    private long _acquisitions;
    private long _contended;
    private long _spins;
    private int _nextTicket;       // native ticket lock
    private int _nowServing;
    private int _nativeOwnerThread;

    /// <summary>Creates the lock (<c>DEFINE_SPINLOCK</c>).</summary>
    public SpinLock(Machine machine, string name)
    {
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _lock = new SimLock(name);
        _lockNote = $"spin_lock({name})";
        _unlockNote = $"spin_unlock({name})";
        machine.Track(this);
    }

    // Kernel-level names for interleavings, made once so that noting them costs nothing.
    private readonly string _lockNote;
    private readonly string _unlockNote;

    /// <summary>The lock's name.</summary>
    public string Name { get; }

    /// <summary>The task holding the lock, or null (a peek, for reports).</summary>
    public KernelTask? Owner => _owner;

    /// <summary>True while someone holds the lock (a peek).</summary>
    public bool IsLocked => Sim.IsControlled ? _owner is not null || _ownerIsOutsider : Volatile.Read(ref _nowServing) != Volatile.Read(ref _nextTicket);

    /// <summary>True when the calling task holds the lock (a peek).</summary>
    public bool HeldByCurrent => Sim.IsControlled
        ? _lock.IsHeldByCurrentThread
        : Volatile.Read(ref _nativeOwnerThread) == Environment.CurrentManagedThreadId && IsLocked;

    /// <summary>
    /// Natively, the tickets handed out and not yet served: the holder and every spinner (a peek, for tests: it lets
    /// a test see a thread spinning instead of guessing from time).
    /// </summary>
    internal int NativeTicketsOut => Volatile.Read(ref _nextTicket) - Volatile.Read(ref _nowServing);

    /// <summary>Acquisitions so far (updated under the lock).</summary>
    public long Acquisitions => Interlocked.Read(ref _acquisitions);

    /// <summary>Acquisitions that found the lock held.</summary>
    public long Contended => Interlocked.Read(ref _contended);

    /// <summary>Spin iterations spent waiting (native runs; under test, waits).</summary>
    public long Spins => Interlocked.Read(ref _spins);

    /// <summary>spin_lock().</summary>
    public void Lock()
    {
        _machine.Perturb(PerturbationPoint.BeforeLock);
        var task = KernelTask.Current;
        task?.Cpu.PreemptDisable();
        Acquire(task);
    }

    /// <summary>spin_trylock(): takes the lock only if it is free; never spins.</summary>
    public bool TryLock()
    {
        var task = KernelTask.Current;
        var cpu = task?.Cpu;
        cpu?.PreemptDisable();
        bool taken;
        if (Sim.IsControlled)
        {
            taken = !HeldByCurrent && _lock.TryEnter();
            if (taken) Sim.Note(_lockNote);
        }
        else
        {
            var serving = Volatile.Read(ref _nowServing);
            taken = Interlocked.CompareExchange(ref _nextTicket, serving + 1, serving) == serving;
            if (taken) _nativeOwnerThread = Environment.CurrentManagedThreadId;
        }
        if (!taken)
        {
            cpu?.PreemptEnable();
            return false;
        }
        SetOwner(task);
        _machine.Perturb(PerturbationPoint.LockAcquired);
        return true;
    }

    /// <summary>spin_unlock().</summary>
    public void Unlock()
    {
        Release();
        Machine.CurrentCpu?.PreemptEnable();
        _machine.Perturb(PerturbationPoint.AfterUnlock);
    }

    /// <summary>spin_lock_irq(): disables local IRQs, then spins with them off.</summary>
    public void LockIrq()
    {
        _machine.Perturb(PerturbationPoint.BeforeLock);
        var task = KernelTask.Current;
        if (task is not null)
        {
            task.Cpu.LocalIrqDisable();
            task.Cpu.PreemptDisable();
        }
        Acquire(task);
    }

    /// <summary>spin_unlock_irq().</summary>
    public void UnlockIrq()
    {
        Release();
        var cpu = Machine.CurrentCpu;
        if (cpu is null) return;
        cpu.LocalIrqEnable();
        cpu.PreemptEnable();
        _machine.Perturb(PerturbationPoint.AfterUnlock);
    }

    /// <summary>spin_lock_irqsave().</summary>
    public IrqFlags LockIrqSave()
    {
        _machine.Perturb(PerturbationPoint.BeforeLock);
        var task = KernelTask.Current;
        if (task is null)
        {
            Acquire(null);
            return new IrqFlags(true);
        }
        var flags = task.Cpu.LocalIrqSave();
        task.Cpu.PreemptDisable();
        Acquire(task);
        return flags;
    }

    /// <summary>spin_unlock_irqrestore().</summary>
    public void UnlockIrqRestore(IrqFlags flags)
    {
        Release();
        var cpu = Machine.CurrentCpu;
        if (cpu is null) return;
        cpu.PreemptEnable();
        cpu.LocalIrqRestore(flags);
        _machine.Perturb(PerturbationPoint.AfterUnlock);
    }

    private void Acquire(KernelTask? task)
    {
        var cpu = task?.Cpu;
        if (HeldByCurrent) throw new KernelBugException($"BUG: spinlock recursion on {Name}: {cpu?.Describe() ?? "outside any CPU"} already holds it");
        if (Sim.IsControlled)
        {
            AcquireControlled(cpu);
            Sim.Note(_lockNote);
        }
        else
        {
            AcquireNative(cpu);
        }
        SetOwner(task);
        _machine.Perturb(PerturbationPoint.LockAcquired);   // a delay here holds the lock longer
    }

    // Under the lock: who holds it, for reports, and (lockdep) on the holder's stack of held locks.
    private void SetOwner(KernelTask? task)
    {
        _owner = task;
        _ownerIsOutsider = task is null;
        task?.HeldLocks.Acquired(this);
        _acquisitions++;
    }

    private void AcquireControlled(Cpu? cpu)
    {
        if (_lock.TryEnter()) return;
        long spins = 0;
        do
        {
            spins++;
            Sim.WaitUntil(() => (_owner is null && !_ownerIsOutsider) || _machine.Aborted || (cpu is { IrqsDisabled: false, HasPendingIpi: true }),
                $"{Name} is free (spinning on {cpu?.Describe() ?? "a non-CPU thread"})");
            _machine.ThrowIfAborted();
            if (cpu is { IrqsDisabled: false }) cpu.ServiceIpis();
        }
        while (!_lock.TryEnter());
        Interlocked.Add(ref _spins, spins);
        Interlocked.Increment(ref _contended);
    }

    // Natively a ticket lock, as the kernel's since 2.6.25: waiters are served in arrival order, so a CPU that
    // releases and re-takes the lock in a tight loop cannot starve the others.
    private void AcquireNative(Cpu? cpu)
    {
        var ticket = Interlocked.Increment(ref _nextTicket) - 1;
        if (Volatile.Read(ref _nowServing) == ticket)
        {
            _nativeOwnerThread = Environment.CurrentManagedThreadId;
            return;
        }
        long spins = 0;
        var spinner = new SpinWait();
        while (Volatile.Read(ref _nowServing) != ticket)
        {
            spins++;
            _machine.ThrowIfAborted();   // an aborted machine is dead: its tickets need not be honoured
            if (cpu is { IrqsDisabled: false }) cpu.ServiceIpis();
            // Stryker disable once Statement,Unary : how a native spinner backs off (spin, yield or sleep) changes its speed, never who gets the lock
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        _nativeOwnerThread = Environment.CurrentManagedThreadId;
        Interlocked.Add(ref _spins, spins);
        Interlocked.Increment(ref _contended);
    }

    private void Release()
    {
        if (!HeldByCurrent) throw new KernelBugException($"BUG: spin_unlock of {Name} by a context that does not hold it");
        _machine.Perturb(PerturbationPoint.BeforeUnlock);
        _owner?.HeldLocks.Released(this);   // lockdep's lock_release comes before the unlock itself
        if (!Sim.IsControlled)
        {
            ClearOwner();
            _nativeOwnerThread = 0;
            Volatile.Write(ref _nowServing, _nowServing + 1);
            return;
        }
        // Under test the owner is cleared after the release, so spinners are not enabled for a step in which the
        // lock is still held.
        _lock.Exit();
        Sim.Note(_unlockNote);
        ClearOwner();
    }

    private void ClearOwner()
    {
        _owner = null;
        _ownerIsOutsider = false;
    }
}
