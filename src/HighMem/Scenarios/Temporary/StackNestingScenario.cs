using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// Stack-based kmap_atomic (2.6.37–5.10) with nesting. <c>stack-nesting</c>: on each CPU a task holds two nested
/// mappings (copy_highpage style) while a softirq (one mapping, with a hardirq possibly nested on it) and a hardirq
/// (one mapping) stack on top — at most KM_TYPE_NR = 4 deep. <c>stack-overflow</c>: KM_TYPE_NR = 3 with the same
/// nesting on CPU0 (so full nesting exceeds it, which the debug build stops with BUG) while CPU1 holds its slot 0.
/// </summary>
public sealed class StackNestingScenario(bool overflow) : TemporaryScenario(
    overflow ? "stack-overflow" : "stack-nesting",
    overflow
        ? "stack kmap_atomic, KM_TYPE_NR 3: process (2) + softirq + hardirq nesting on CPU0 can exceed it (BUG) while CPU1 holds slot 0"
        : "stack kmap_atomic, KM_TYPE_NR 4: two nested process mappings plus softirq and hardirq mappings on top, per CPU",
    fixedTasks: true,
    needsVariant: overflow)
{
    private readonly bool _overflow = overflow;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var window = _overflow ? 3 : 4;
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = window }, AllowMigration = false });
        probe?.BeginRound(world.Machine);
        var variant = VariantRegistry.Switch(parameters.Variant);
        var config = new StackAtomicConfig { KmTypeNr = window, DebugHighmem = _overflow, Variant = variant };
        var kmap = new StackKmapAtomic(config, world.Windows, world.Interrupts, world.Pagefaults);
        var outOfOrder = variant == AtomicVariants.KunmapOutOfOrder;

        world.Machine.StartTasks("user", 1, index =>
        {
            var cpu = world.Machine.Cpus[index];
            int Page(int n) => world.HighPage(cpu.Id * 8 + n);
            for (var op = 0; More(probe, parameters, op); op++)
            {
                if (_overflow && cpu.Id != 0)
                {
                    Section(world, kmap, Page(0), "holder", probe);   // keeps slot 0 of its window busy now and then
                    Done(probe);
                    continue;
                }
                world.Interrupts.RaiseSoftirq(cpu.Id, "net-rx", _ => Section(world, kmap, Page(2), "net-rx"));
                world.Interrupts.RaiseIrq(cpu.Id, "blk-done", _ =>
                {
                    var va = Map(probe, () => kmap.KmapAtomic(Page(3)));
                    TemporaryInvariants.Use(world, va, Page(3), "blk-done");
                    kmap.KunmapAtomic(va);
                });
                var a = Map(probe, () => kmap.KmapAtomic(Page(0)));
                var b = Map(probe, () => kmap.KmapAtomic(Page(1)));
                TemporaryInvariants.Use(world, a, Page(0), "copy-src");
                world.Interrupts.Window(cpu);
                TemporaryInvariants.Use(world, b, Page(1), "copy-dst");
                if (outOfOrder)
                {
                    kmap.KunmapAtomic(a);   // H17: A is not the top; its unmap clears B's slot
                    world.Interrupts.Window(cpu);
                    TemporaryInvariants.Use(world, b, Page(1), "copy-dst");
                    kmap.KunmapAtomic(b);
                }
                else
                {
                    kmap.KunmapAtomic(b);
                    world.Interrupts.Window(cpu);
                    TemporaryInvariants.Use(world, a, Page(0), "copy-src");
                    kmap.KunmapAtomic(a);
                }
                world.Interrupts.Window(cpu);
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe);
    }

    private static void Section(HighMemModel world, StackKmapAtomic kmap, int pfn, string who, RunProbe? probe = null)
    {
        var va = Map(probe, () => kmap.KmapAtomic(pfn));
        TemporaryInvariants.Use(world, va, pfn, who);
        world.Interrupts.Window(Machine.CurrentCpuOrThrow);
        TemporaryInvariants.Use(world, va, pfn, who);
        kmap.KunmapAtomic(va);
    }
}
