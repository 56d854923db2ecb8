using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// Typed (eager-clear, 2.6.32) kmap_atomic under preemption: tasks share CPUs (or, with migration, move between
/// them) and each maps its own page through KM_USER0, uses it across a preemption point, and takes a sleeping page
/// lock (lock_page) before the section in the correct model, inside it with atomic-across-sleep. Under the page lock
/// each holder updates the shared page's state (one word, read and written), and at the end every section's update
/// must be there: a holder that read the state from before the previous holder's section loses an update.
/// </summary>
public sealed class TypedPreemptScenario(bool migrate) : TemporaryScenario(
    migrate ? "typed-migrate" : "typed-preempt",
    migrate
        ? "typed KM_USER0 sections on two CPUs whose tasks may migrate at every preemption point"
        : "typed KM_USER0 sections of two tasks sharing each CPU, preemptible between sections, with a sleeping page lock",
    tasksPerCpu: migrate ? 1 : 2)
{
    private readonly bool _migrate = migrate;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmTypes.WithNmi };
        var world = HighMemModel.Create(new HighMemConfig { Layout = layout, AllowMigration = _migrate });
        probe?.BeginRound(world.Machine);
        var variant = VariantRegistry.Switch(parameters.Variant);
        var config = new TypedAtomicConfig { Mode = AtomicClearMode.Eager, Variant = variant };
        var kmap = new TypedKmapAtomic(config, world.Windows, world.Interrupts, world.Pagefaults);
        var sleepInside = variant == AtomicVariants.AtomicAcrossSleep;
        var pageLock = new SleepingPageLock(world.Machine, "shared-page", OrderingVariants.PageLockCodeOf(variant));
        var pageState = new SimVar<int>(0, "shared-page.state");   // what lock_page protects
        var sections = 0;   // the oracle's count, not model state: no scheduling point, so schedules stay as they were
        void UpdatePageState()
        {
            pageState.Write(pageState.Read() + 1);
            Interlocked.Increment(ref sections);
        }

        world.Machine.StartTasks("user", parameters.TasksPerCpu, index =>
        {
            var pfn = world.HighPage(index);
            var who = Kernel.KernelTask.Current!.Name;
            for (var op = 0; More(probe, parameters, op); op++)
            {
                if (!sleepInside)
                {
                    pageLock.Lock();   // sleeping work belongs outside the atomic section
                    UpdatePageState();
                    world.Interrupts.Window(Kernel.Machine.CurrentCpuOrThrow);
                    pageLock.Unlock();
                }
                var va = Map(probe, () => kmap.KmapAtomic(pfn, KmType.KM_USER0));
                TemporaryInvariants.Use(world, va, pfn, who);
                world.Interrupts.Window(Kernel.Machine.CurrentCpuOrThrow);
                if (sleepInside)
                {
                    pageLock.Lock();   // may sleep: forbidden while the atomic kmap is held (H16)
                    UpdatePageState();
                }
                TemporaryInvariants.Use(world, va, pfn, who);
                if (sleepInside) pageLock.Unlock();
                kmap.KunmapAtomic(va, KmType.KM_USER0);
                world.Interrupts.Window(Kernel.Machine.CurrentCpuOrThrow);
                Done(probe);
                probe?.Boundary(Kernel.KernelTask.Current!);   // nothing is held between sections: a stutter pause parks the task here
            }
        });
        Quiesce(world.Machine, probe);
        TemporaryInvariants.PageLockUpdates(pageState.Peek, Volatile.Read(ref sections), "shared-page");
    }
}
