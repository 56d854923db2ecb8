using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace PerCpuCounter;

/// <summary>
/// A per-CPU counter (<c>this_cpu_inc</c> as a load and a store on the current CPU's slot) with two tasks on every CPU.
/// The increment must not be preempted between its load and its store, or the other task on that CPU increments in
/// between and one update is lost: the correct increment runs under preempt_disable(); the variant
/// <c>preemptible-inc</c> does not.
/// </summary>
public sealed class PerCpuCounterCatalog : ICatalog
{
    /// <summary>The increment without preempt_disable().</summary>
    public const string PreemptibleInc = "preemptible-inc";

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new TestBodyScenario("percpu-counter", "two tasks per CPU increment their CPU's counter; the sum is checked at quiescence",
            new ScenarioParameters { Cpus = 2, TasksPerCpu = 2, OpsPerTask = 2 }, ["cpus", "tasksPerCpu", "opsPerTask"], [PreemptibleInc],
            Iteration, ["percpu.inc"]),
    ];

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants { get; } =
    [
        new(PreemptibleInc, "this_cpu_inc's load and store are not under preempt_disable(): another task on the CPU increments in between",
            BugKind.AssertionFailure, "lost update", ["percpu-counter"]) { Switches = "ThisCpuInc: no preempt_disable()/preempt_enable()" },
    ];

    private static Action Iteration(ScenarioParameters p) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = p.Cpus });
        var counter = Enumerable.Range(0, p.Cpus).Select(c => new SimAtomic(0, $"counter@CPU{c}")).ToArray();
        var expected = p.Cpus * p.TasksPerCpu * p.OpsPerTask;
        machine.AddQuiescentCheck(() => counter.Sum(c => c.Peek) is var sum && sum == expected
            ? null
            : $"the per-CPU counters sum to {sum} after {expected} increments: an update was lost");
        var preemptible = p.Variant == PreemptibleInc;
        machine.StartTasks("inc", p.TasksPerCpu, _ =>
        {
            for (var i = 0; i < p.OpsPerTask; i++)
            {
                var cpu = KernelTask.Current!.Cpu;
                if (!preemptible) cpu.PreemptDisable();
                var slot = counter[cpu.Id];
                var value = slot.Load();
                cpu.InterruptWindow();        // where an interrupt, and a preemption if preemptible, can land
                slot.Store(value + 1);
                if (!preemptible) cpu.PreemptEnable();
                Sim.Cover("percpu.inc");
                cpu.InterruptWindow();
            }
        });
        machine.JoinAll();
        machine.CheckQuiescent();
    };
}
