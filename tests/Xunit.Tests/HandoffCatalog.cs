using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Xunit.Tests;

/// <summary>
/// A test suite's own catalog, as a user writes one: a consumer sleeps on a wait queue until a producer sets a flag
/// and wakes it. The consumer queues itself and sets TASK_UNINTERRUPTIBLE before it tests the flag, so a wake-up
/// cannot fall between test and sleep; the variant <c>check-before-prepare</c> tests first, and loses that wake-up.
/// </summary>
public sealed class HandoffCatalog : ICatalog
{
    /// <summary>The variant's name.</summary>
    public const string CheckBeforePrepare = "check-before-prepare";

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new TestBodyScenario("flag-handoff", "a consumer sleeps on handoff_wait until the producer sets ready and wakes it",
            new ScenarioParameters { Cpus = 2 }, [], [CheckBeforePrepare], Body, ["handoff.slept"]),
    ];

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants { get; } =
    [
        new(CheckBeforePrepare, "the consumer tests ready before it queues itself: a lost wakeup", BugKind.Deadlock, "deadlock (lost wakeup)",
            ["flag-handoff"]) { Switches = "consumer: the ready test moves above prepare_to_wait" },
    ];

    private static Action Body(ScenarioParameters p) => () =>
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        var wait = new WaitQueueHead(machine, "handoff_wait");
        var ready = new SimAtomic(0, "ready");
        var early = p.Variant == CheckBeforePrepare;
        machine.StartTask("consumer", 0, () =>
        {
            var me = KernelTask.Current!;
            if (early && ready.Load() != 0) return;
            while (true)
            {
                wait.Add(me);                                       // prepare_to_wait
                me.SetCurrentState(TaskState.Uninterruptible);
                if (!early && ready.Load() != 0) break;
                Sim.Cover("handoff.slept");
                me.Schedule();
                if (early || ready.Load() != 0) break;
            }
            me.SetCurrentState(TaskState.Running);                  // finish_wait
            wait.Remove(me);
        });
        machine.StartTask("producer", 1, () =>
        {
            ready.Store(1);
            wait.WakeUp();
        });
        machine.JoinAll();
        machine.CheckQuiescent();   // no task left asleep, the queue empty, no lock held
    };
}
