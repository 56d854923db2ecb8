using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// Work the scheduler core does for a task at a context switch (prepare_task_switch / finish_task_switch), e.g.
/// kmap_local's sched_out / sched_in. Both run on the task's own thread, non-preemptible.
/// </summary>
/// <param name="SchedOut">Runs for the outgoing task while it still owns its CPU.</param>
/// <param name="SchedIn">Runs for the incoming task once it owns its (possibly new) CPU.</param>
public sealed record ContextSwitchHooks(Action<KernelTask> SchedOut, Action<KernelTask> SchedIn);

public sealed partial class Machine
{
    private readonly List<ContextSwitchHooks> _switchHooks = [];

    /// <summary>Registers hooks run at every context switch; register before starting tasks.</summary>
    public void AddContextSwitchHooks(ContextSwitchHooks hooks)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        _switchHooks.Add(hooks);
    }

    internal IReadOnlyList<ContextSwitchHooks> SwitchHooks => _switchHooks;
}

public sealed partial class KernelTask
{
    /// <summary>migrate_disable() depth: while it is positive the task stays on its CPU (it may still be preempted).</summary>
    public int MigrationDisabled { get; private set; }

    /// <summary>CPU changes so far (for reports and tests).</summary>
    public int Migrations { get; private set; }

    /// <summary>migrate_disable(): the caller must be this task.</summary>
    public void MigrateDisable() => MigrationDisabled++;

    /// <summary>migrate_enable().</summary>
    public void MigrateEnable()
    {
        if (MigrationDisabled <= 0) throw new KernelBugException($"BUG: migrate_enable() underflow in {Name}");
        MigrationDisabled--;
    }

    /// <summary>The outgoing half of a switch: runs the sched_out hooks while the task still owns <paramref name="cpu"/>.</summary>
    internal void SwitchOut(Cpu cpu) => RunHooks(cpu, static (h, t) => h.SchedOut(t));

    /// <summary>
    /// The incoming half: picks the CPU to resume on (the same one unless migration is allowed and not disabled; then
    /// a controlled choice), takes it, and runs the sched_in hooks there.
    /// </summary>
    internal void Resume(Cpu previous)
    {
        var target = previous;
        if (Machine.Config.AllowMigration && MigrationDisabled == 0 && Machine.Cpus.Count > 1)
            target = Machine.Cpus[ChooseCpu()];
        if (target != previous)
        {
            target.AddLiveTask();
            previous.RetireTask();   // answer the old CPU's pending IPIs before it may count as idle
            Cpu = target;
            Migrations++;
            Machine.Counters.Add("migrations");
            if (Sim.IsControlled) Sim.Note($"{Name} migrates CPU{previous.Id} → CPU{target.Id}");
        }
        target.TakeCpu(this);
        RunHooks(target, static (h, t) => h.SchedIn(t));
    }

    // Under test the destination is a controlled choice; natively a stress perturbation picks it from the task's seeded
    // stream, so that a run's migrations repeat with its seed.
    private int ChooseCpu() => Machine.Perturbation is { } p ? p.ChooseCpu(this, Machine.Cpus.Count) : Sim.Choose(Machine.Cpus.Count);

    /// <summary>
    /// Natively, gives the CPU up between two pieces of work (a stress driver's pause of load: the task is off the CPU
    /// as if it slept, so a sibling on its CPU runs and the CPU's IPIs are answered) until <paramref name="resume"/>
    /// is true, then takes a CPU again (another one if migration is allowed). The caller must be this task, outside
    /// any atomic section; an aborted machine unwinds it with <see cref="MachineAbortedException"/>. Every
    /// <paramref name="poll"/> it checks for IPIs and the abort, so the wait costs no CPU.
    /// </summary>
    public void Park(Func<bool> resume, TimeSpan poll)
    {
        ArgumentNullException.ThrowIfNull(resume);
        if (Sim.IsControlled) throw new InvalidOperationException("Park is for native runs: under test a pause is a scheduling decision");
        var cpu = Cpu;
        if (cpu.InAtomic || cpu.IrqsDisabled) throw new KernelBugException($"BUG: {Name} parks in atomic context on CPU{cpu.Id}");
        SwitchOut(cpu);
        cpu.LeaveCpu();
        while (!resume())
        {
            Machine.ThrowIfAborted();
            if (cpu.HasPendingIpi) cpu.ServiceIpis();
            System.Threading.Thread.Sleep(poll);
        }
        Resume(cpu);
    }

    private void RunHooks(Cpu cpu, Action<ContextSwitchHooks, KernelTask> run)
    {
        var hooks = Machine.SwitchHooks;
        if (hooks.Count == 0) return;
        cpu.RaiseForSwitch();   // __schedule runs with preemption off: hooks may take interrupts, never recurse
        try
        {
            foreach (var h in hooks) run(h, this);
        }
        finally
        {
            cpu.LowerAfterSwitch();
        }
    }
}

public sealed partial class Cpu
{
    internal void AddLiveTask() => Interlocked.Increment(ref _liveTasks);

    internal void RaiseForSwitch() => PreemptCount++;

    internal void LowerAfterSwitch() => PreemptCount--;
}
