using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// Stack-based kmap_atomic (2.6.37–5.10) to the full depth of its window, in the debug build (CONFIG_DEBUG_HIGHMEM:
/// the depth BUG_ON and the nestable-IRQ warning in push, the LIFO warning and the lowmem check in unmap). On each
/// CPU a task holds two nested mappings while a softirq and a hardirq (possibly nested on the softirq) map on top —
/// at most KM_TYPE_NR = 4 deep. Then, with IRQs off so that nothing can nest on top, it nests two more, taking the
/// window's last slot in every interleaving, and maps a lowmem page on the full stack, which takes no slot. The
/// correct depth check is thus evaluated at its boundary and never fires.
/// </summary>
public sealed class StackDepthScenario() : TemporaryScenario(
    "stack-depth",
    "stack kmap_atomic, KM_TYPE_NR 4, DEBUG_HIGHMEM: two nested mappings under softirq/hardirq nesting, then 4 deep with IRQs off (the window's last slot) and a lowmem page on top",
    fixedTasks: true)
{
    /// <summary>KM_TYPE_NR: the depth limit and window width.</summary>
    private const int KmTypeNr = 4;

    /// <summary>The first lowmem frame the tasks map (one per CPU): a direct-mapped page, e.g. a slab buffer at 16 MiB.</summary>
    private const int LowmemPfn = 0x1000;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmTypeNr }, AllowMigration = false });
        probe?.BeginRound(world.Machine);
        var config = new StackAtomicConfig { KmTypeNr = KmTypeNr, DebugHighmem = true, Variant = VariantRegistry.Switch(parameters.Variant) };
        var kmap = new StackKmapAtomic(config, world.Windows, world.Interrupts, world.Pagefaults);

        world.Machine.StartTasks("user", 1, index =>
        {
            var cpu = world.Machine.Cpus[index];
            int Page(int n) => world.HighPage(cpu.Id * 8 + n);
            for (var op = 0; More(probe, parameters, op); op++)
            {
                world.Interrupts.RaiseSoftirq(cpu.Id, "net-rx", _ => Section(world, kmap, Page(4), "net-rx"));
                world.Interrupts.RaiseIrq(cpu.Id, "blk-done", _ => Section(world, kmap, Page(5), "blk-done"));
                var a = Map(probe, () => kmap.KmapAtomic(Page(0)));   // slots 0 and 1; interrupts may stack up to slot 3
                var b = Map(probe, () => kmap.KmapAtomic(Page(1)));
                TemporaryInvariants.Use(world, a, Page(0), "copy-src");
                world.Interrupts.Window(cpu);
                TemporaryInvariants.Use(world, b, Page(1), "copy-dst");

                var flags = cpu.LocalIrqSave();   // from here nothing can nest on this CPU (no NMI in this workload)
                var c = Map(probe, () => kmap.KmapAtomic(Page(2)));
                var d = Map(probe, () => kmap.KmapAtomic(Page(3)));   // slot KM_TYPE_NR - 1: the window's last
                var low = Map(probe, () => kmap.KmapAtomic(LowmemPfn + cpu.Id));   // its direct-map address: no push
                TemporaryInvariants.Use(world, c, Page(2), "bounce-src");
                TemporaryInvariants.Use(world, d, Page(3), "bounce-dst");
                TemporaryInvariants.Use(world, low, LowmemPfn + cpu.Id, "lowmem");
                world.Interrupts.Window(cpu);
                kmap.KunmapAtomic(low);
                kmap.KunmapAtomic(d);
                kmap.KunmapAtomic(c);
                cpu.LocalIrqRestore(flags);   // pending interrupts may fire here, on top of a and b again

                kmap.KunmapAtomic(b);
                world.Interrupts.Window(cpu);
                TemporaryInvariants.Use(world, a, Page(0), "copy-src");
                kmap.KunmapAtomic(a);
                world.Interrupts.Window(cpu);
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe);
    }

    private static void Section(HighMemModel world, StackKmapAtomic kmap, int pfn, string who)
    {
        var va = kmap.KmapAtomic(pfn);
        TemporaryInvariants.Use(world, va, pfn, who);
        world.Interrupts.Window(Machine.CurrentCpuOrThrow);
        TemporaryInvariants.Use(world, va, pfn, who);
        kmap.KunmapAtomic(va);
    }
}
