using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// kmap_local (5.11+) under preemption, migration and interrupt nesting: two tasks share each CPU and may migrate
/// when they hold nothing; each holds two nested local mappings across preemption points while a hardirq and an
/// NMI map on top of whichever task they interrupt (also in the middle of a context switch). KM_MAX_IDX = 5; built
/// with CONFIG_DEBUG_KMAP_LOCAL, every mapping has a guard slot below it (KM_INCR = 2) and KM_MAX_IDX = 2 × 5 + 1, as
/// the kernel's 33 is 2 × 16 + 1 (include/asm-generic/kmap_size.h). The xtensa build is the debug one on an
/// architecture whose zero PTE is not pte_none (and, with variant <c>xtensa-fixmap-bottom-up</c>, whose fixmap was
/// numbered bottom up).
/// </summary>
public sealed class LocalPreemptScenario(bool debugKmapLocal = false, KernelArch arch = KernelArch.X86) : TemporaryScenario(
    arch == KernelArch.Xtensa ? "local-preempt-xtensa" : debugKmapLocal ? "local-preempt-debug" : "local-preempt",
    arch == KernelArch.Xtensa
        ? "kmap_local on xtensa under CONFIG_DEBUG_KMAP_LOCAL (a zero PTE is not pte_none): two tasks per CPU, nested mappings across preemption, migration when idle, IRQ and NMI nesting"
        : debugKmapLocal
        ? "kmap_local under CONFIG_DEBUG_KMAP_LOCAL (a guard slot below every mapping): two tasks per CPU, nested mappings across preemption, migration when idle, IRQ and NMI nesting"
        : "kmap_local: two tasks per CPU holding nested mappings across preemption (sched_out/sched_in), migration when idle, IRQ and NMI nesting",
    tasksPerCpu: 2)
{
    private readonly int _kmMaxIdx = debugKmapLocal ? 2 * 5 + 1 : 5;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var variant = VariantRegistry.Switch(parameters.Variant);
        var layout = new AddressLayout
        {
            NrCpus = parameters.Cpus, KmapWindow = _kmMaxIdx, Arch = arch,
            FixmapGrowsUp = variant == LocalVariants.XtensaFixmapBottomUp,
        };
        var world = HighMemModel.Create(new HighMemConfig { Layout = layout, AllowMigration = true });
        probe?.BeginRound(world.Machine);
        var config = new LocalKmapConfig { KmMaxIdx = _kmMaxIdx, DebugKmapLocal = debugKmapLocal, Variant = variant };
        var kmap = new KmapLocal(config, world.Machine, world.Windows, world.Interrupts);

        world.Machine.StartTasks("user", parameters.TasksPerCpu, index =>
        {
            var task = KernelTask.Current!;
            int Page(int n) => world.HighPage(index * 8 + n);
            for (var op = 0; More(probe, parameters, op); op++)
            {
                var cpu = task.Cpu;
                world.Interrupts.RaiseIrq(cpu.Id, "blk-done", _ => Section(world, kmap, Page(2), "blk-done"));
                world.Interrupts.RaiseNmi(cpu.Id, "perf", _ => Section(world, kmap, Page(3), "perf-nmi"));
                var a = Map(probe, () => kmap.KmapLocalPage(Page(0)));
                TemporaryInvariants.LocalUse(world, kmap, a, Page(0), "copy-src");
                world.Interrupts.Window(task.Cpu);
                var b = Map(probe, () => kmap.KmapLocalPage(Page(1)));
                TemporaryInvariants.LocalUse(world, kmap, a, Page(0), "copy-src");
                TemporaryInvariants.LocalUse(world, kmap, b, Page(1), "copy-dst");
                world.Interrupts.Window(task.Cpu);
                kmap.KunmapLocal(b);
                world.Interrupts.Window(task.Cpu);
                TemporaryInvariants.LocalUse(world, kmap, a, Page(0), "copy-src");
                kmap.KunmapLocal(a);
                world.Interrupts.Window(task.Cpu);
                Done(probe);
            }
            kmap.AssertNoMap(task);
        });
        Quiesce(world.Machine, probe, parameters.Cpus * parameters.TasksPerCpu);
    }

    private static void Section(HighMemModel world, KmapLocal kmap, int pfn, string who)
    {
        var va = kmap.KmapLocalPage(pfn);
        TemporaryInvariants.LocalUse(world, kmap, va, pfn, who);
        kmap.KunmapLocal(va);
    }
}
