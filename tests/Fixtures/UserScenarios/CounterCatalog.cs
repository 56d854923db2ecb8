using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace UserScenarios;

/// <summary>
/// A small kernel mechanism of the user's own: one task per CPU adds to a shared counter under <c>counter_lock</c>;
/// its variant <c>unlocked-add</c> reads and writes the counter without the lock, so an update can be lost.
/// </summary>
public sealed class CounterCatalog : ICatalog
{
    /// <summary>The variant's name.</summary>
    public const string UnlockedAdd = "unlocked-add";

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new TestBodyScenario("locked-counter", "one task per CPU adds to a shared counter under counter_lock",
            new ScenarioParameters { Cpus = 2, OpsPerTask = 2 }, ["cpus", "opsPerTask"], [UnlockedAdd], Body,
            ["counter.add"]),
    ];

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants { get; } =
    [
        new("unlocked-add", "the add skips counter_lock, so two CPUs can lose an update", BugKind.AssertionFailure, "lost update",
            ["locked-counter"]) { Switches = "Add: counter_lock not taken" },
    ];

    private static Action Body(ScenarioParameters p) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = p.Cpus });
        var counterLock = new SpinLock(machine, "counter_lock");
        var counter = new SimAtomic(0, "counter");
        var locked = p.Variant != UnlockedAdd;
        var expected = p.Cpus * p.OpsPerTask;
        machine.AddQuiescentCheck(() => counter.Peek == expected ? null : $"counter is {counter.Peek} after {expected} adds: an update was lost");
        for (var cpu = 0; cpu < p.Cpus; cpu++)
        {
            machine.StartTask($"adder{cpu}", cpu, () =>
            {
                for (var i = 0; i < p.OpsPerTask; i++)
                {
                    if (locked) counterLock.Lock();
                    counter.Store(counter.Load() + 1);
                    Sim.Cover("counter.add");
                    if (locked) counterLock.Unlock();
                }
            });
        }
        machine.JoinAll();
        machine.CheckQuiescent();   // the kernel's own checks (no lock held, no task asleep), then the counter's
    };
}
