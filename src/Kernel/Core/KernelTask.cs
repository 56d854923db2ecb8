using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// A kernel task: a real thread (<see cref="Sim.Start"/>) bound to one CPU. Its state is an atomic so that a waker
/// on another CPU and the sleeper agree on it; <see cref="Schedule"/> sleeps without spinning under test.
/// </summary>
public sealed partial class KernelTask
{
    private readonly SimAtomic _state;
    private SimThread? _thread;

    internal KernelTask(Machine machine, int index, string name, Cpu cpu)
    {
        Machine = machine;
        Index = index;
        Name = name;
        Cpu = cpu;
        _state = new SimAtomic((int)TaskState.Running, $"{name}.state");
    }

    /// <summary>The machine the task runs on.</summary>
    public Machine Machine { get; }

    /// <summary>The task's index in <see cref="Machine.Tasks"/> (start order).</summary>
    public int Index { get; }

    /// <summary>The task's name (comm).</summary>
    public string Name { get; }

    /// <summary>
    /// The CPU the task runs on. Tasks stay on their CPU unless the machine allows migration
    /// (<see cref="MachineConfig.AllowMigration"/>), in which case they may move at a preemption point or a wake-up.
    /// </summary>
    public Cpu Cpu { get; private set; }

    /// <summary>The task's state (a peek: no scheduling point).</summary>
    public TaskState State => (TaskState)_state.Peek;

    /// <summary>The wait queue the task registered on (set by add_wait_queue, cleared by remove_wait_queue).</summary>
    public string? WaitingOn { get; internal set; }

    /// <summary>True while the task is blocked inside <see cref="Schedule"/>.</summary>
    public bool Asleep { get; private set; }

    /// <summary>What the task is doing, for hang reports (set by the model: e.g. "kmap page 3").</summary>
    public string? Activity { get; set; }

    /// <summary>True once the task's body has returned or thrown.</summary>
    public bool Finished => _thread?.IsCompleted ?? false;

    /// <summary>The spin locks the task holds (lockdep's held_locks), in acquisition order.</summary>
    public HeldLocks HeldLocks { get; } = new();

    /// <summary>current-&gt;pagefault_disabled: pagefault_disable() nesting (see <see cref="PagefaultState"/>).</summary>
    public int PagefaultDisabled { get; internal set; }

    internal SimThread Thread => _thread ?? throw new InvalidOperationException("task not started");

    internal void Start(Action body) => _thread = Sim.Start(Name, () => Run(body));

    private void Run(Action body)
    {
        SimThread.Current!.Tag = this;
        try
        {
            Cpu.TakeCpu(this);
            body();
            CheckExit();
            Cpu.RetireTask();
            Cpu.LeaveCpu();
        }
        catch (Exception e) when (!Sim.IsControlled && e is not MachineAbortedException)
        {
            Machine.Abort($"task {Name} on CPU{Cpu.Id} failed: {e.Message}");
            Cpu.AbandonCpu();
            throw;
        }
    }

    /// <summary>
    /// set_current_state(): the caller is this task. It is smp_store_mb(current->state, state): the store and a full
    /// barrier, so the condition the task checks next is read after its state is visible to a waker (without the
    /// barrier, under TSO, a wake-up's TASK_RUNNING can be overwritten by this store still waiting in the buffer).
    /// </summary>
    public void SetCurrentState(TaskState state)
    {
        _state.Store((int)state);
        Sim.MemoryBarrier();
    }

    /// <summary>
    /// __set_current_state(): the store alone, without set_current_state()'s barrier — for callers that need no
    /// ordering with what they test next (the state is set back to TASK_RUNNING after a wait, under a lock, …).
    /// </summary>
    public void SetCurrentStateWithoutBarrier(TaskState state) => _state.Store((int)state);

    /// <summary>
    /// try_to_wake_up(): makes the task runnable (called by a waker, e.g. wake_up). It begins with a full barrier
    /// (smp_mb__after_spinlock() after taking p->pi_lock), which orders the waker's earlier store of the condition
    /// before its look at the task's state.
    /// </summary>
    internal void WakeUp()
    {
        Sim.MemoryBarrier();
        _state.Store((int)TaskState.Running);
        if (Sim.IsControlled) Sim.Note($"wake {Name}");
    }

    /// <summary>
    /// schedule(): returns at once if the task is already TASK_RUNNING (it was woken after setting its state),
    /// otherwise gives up the CPU and sleeps until woken. While asleep its CPU is idle and answers IPIs.
    /// </summary>
    public void Schedule()
    {
        Machine.Perturb(PerturbationPoint.BeforeSchedule);   // a wake_up may come meanwhile: schedule() then returns at once
        Sim.MemoryBarrier();   // __schedule(): smp_mb__after_spinlock() after rq_lock(), a full barrier before it reads prev->state
        if (_state.Load() == (int)TaskState.Running) return;
        var cpu = Cpu;
        if (cpu.InAtomic || cpu.IrqsDisabled)
            throw new KernelBugException($"BUG: scheduling while atomic: {Name}/CPU{cpu.Id}, preempt_count {cpu.PreemptCount}, " +
                                         $"context {cpu.Context}, IRQs {(cpu.IrqsDisabled ? "off" : "on")}");
        Asleep = true;
        SwitchOut(cpu);
        cpu.LeaveCpu();
        var description = $"{Name} is woken (sleeps in TASK_UNINTERRUPTIBLE{(WaitingOn is null ? "" : " on " + WaitingOn)})";
        while (true)
        {
            Sim.WaitUntil(() => _state.Peek == (int)TaskState.Running || cpu.HasPendingIpi || Machine.Aborted, description);
            Machine.ThrowIfAborted();
            if (cpu.HasPendingIpi)
            {
                cpu.ServiceIpis();
                continue;
            }
            if (_state.Load() == (int)TaskState.Running) break;   // the load orders us after the waker
        }
        Asleep = false;
        Resume(cpu);
        Machine.Perturb(PerturbationPoint.AfterSchedule);
    }

    /// <summary>The current task (the caller's), or null when the caller is not a kernel task.</summary>
    public static KernelTask? Current => SimThread.Current?.Tag as KernelTask;

    /// <inheritdoc />
    public override string ToString() => $"{Name}/CPU{Cpu.Id}";
}
