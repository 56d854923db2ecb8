using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>
/// kmap_local (5.11+) under preemption, migration and interrupt nesting: two tasks share each CPU and may migrate
/// when they hold nothing; each holds two nested local mappings across preemption points while a hardirq and an
/// NMI map on top of whichever task they interrupt (also in the middle of a context switch). KM_MAX_IDX = 5.
/// </summary>
public sealed class LocalPreemptScenario : TemporaryScenario
{
    private const int KmMaxIdx = 5;

    /// <inheritdoc />
    public override string Name => "local-preempt";

    /// <inheritdoc />
    public override string Description =>
        "kmap_local: two tasks per CPU holding nested mappings across preemption (sched_out/sched_in), migration when idle, IRQ and NMI nesting";

    /// <inheritdoc />
    public override ScenarioParameters Defaults => base.Defaults with { TasksPerCpu = 2 };

    /// <inheritdoc />
    public override IReadOnlyList<string> Variants =>
        [TemporaryVariants.LocalNoMigrateDisable, TemporaryVariants.LocalNoPreemptDisable, TemporaryVariants.SchedOutTouchesIdx];

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var world = TemporaryWorld.Create(new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmMaxIdx }, allowMigration: true);
        probe?.BeginRound(world.Machine);
        var kmap = new KmapLocal(new LocalKmapConfig
        {
            KmMaxIdx = KmMaxIdx,
            NoMigrateDisable = parameters.Variant == TemporaryVariants.LocalNoMigrateDisable,
            NoPreemptDisable = parameters.Variant == TemporaryVariants.LocalNoPreemptDisable,
            SchedOutTouchesIdx = parameters.Variant == TemporaryVariants.SchedOutTouchesIdx,
        }, world.Machine, world.Windows, world.Interrupts);

        world.Machine.StartTasks("user", parameters.TasksPerCpu, index =>
        {
            var task = KernelTask.Current!;
            int Page(int n) => world.HighPage(index * 8 + n);
            for (var op = 0; op < parameters.OpsPerTask; op++)
            {
                var start = Begin(probe);
                var cpu = task.Cpu;
                world.Interrupts.RaiseIrq(cpu.Id, "blk-done", _ => Section(world, kmap, Page(2), "blk-done"));
                world.Interrupts.RaiseNmi(cpu.Id, "perf", _ => Section(world, kmap, Page(3), "perf-nmi"));
                var a = kmap.KmapLocalPage(Page(0));
                LocalUse(world, kmap, a, Page(0), "copy-src");
                world.Interrupts.Window(task.Cpu);
                var b = kmap.KmapLocalPage(Page(1));
                LocalUse(world, kmap, a, Page(0), "copy-src");
                LocalUse(world, kmap, b, Page(1), "copy-dst");
                world.Interrupts.Window(task.Cpu);
                kmap.KunmapLocal(b);
                world.Interrupts.Window(task.Cpu);
                LocalUse(world, kmap, a, Page(0), "copy-src");
                kmap.KunmapLocal(a);
                world.Interrupts.Window(task.Cpu);
                End(probe, start);
            }
            kmap.AssertNoMap(task);
        });
        world.Machine.JoinAll();
        probe?.Checked(parameters.Cpus * parameters.TasksPerCpu);
    }

    private static void Section(TemporaryWorld world, KmapLocal kmap, int pfn, string who)
    {
        var va = kmap.KmapLocalPage(pfn);
        LocalUse(world, kmap, va, pfn, who);
        kmap.KunmapLocal(va);
    }

    /// <summary>
    /// A checked dereference of a kmap_local address: the content oracle, invariant 12 (own CPU's window) and
    /// invariant L5 (spec §5 item 22: only the task whose stack holds the slot dereferences it).
    /// </summary>
    internal static void LocalUse(TemporaryWorld world, KmapLocal kmap, uint va, int pfn, string who)
    {
        TemporaryChecks.Use(world, va, pfn, who);
        var task = KernelTask.Current!;
        if (world.Layout.IsKmapWindow(va) && !kmap.HoldsSlot(task, va))
            Sim.Fail(BugKind.AssertionFailure,
                $"invariant L5 violated: {task.Name} ({who}) dereferences 0x{va:x8}, which is not an entry of its own kmap_local stack");
    }
}
