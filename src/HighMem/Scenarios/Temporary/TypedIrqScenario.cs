using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// Typed kmap_atomic with interrupts on the same CPU: one task per CPU copies a page through KM_USER0 and a
/// bio page through KM_BIO_SRC_IRQ inside <c>bio_kmap_irq</c> (local_irq_save); a block-completion hardirq maps
/// through KM_BIO_SRC_IRQ, a network softirq through KM_SOFTIRQ0 (with a hardirq possibly nested on it; in the
/// eager-clear kernel it also zeroes a freshly allocated lowmem page through KM_USER0, as prep_zero_page does), and in
/// the 16-type configuration an NMI through KM_NMI. Lazy-clear 2.6.11 (also built with CONFIG_DEBUG_HIGHMEM, whose
/// kmap_atomic checks <c>pte_none</c> and whose kunmap_atomic checks the address and clears the PTE) or eager-clear
/// 2.6.32 with debug_kmap_atomic. In the eager-clear kernel each interrupt also maps through every other type
/// debug_kmap_atomic lets its context use (<see cref="HardirqTypes"/>, <see cref="SoftirqTypes"/>, KM_NMI_PTE): a
/// legality table that refuses one of them WARNs on a correct caller.
/// </summary>
public sealed class TypedIrqScenario(AtomicClearMode mode, bool debugHighmem = false) : TemporaryScenario(
    mode == AtomicClearMode.Eager ? "typed-irq-debug" : debugHighmem ? "typed-irq-lazy-debug" : "typed-irq-lazy",
    mode == AtomicClearMode.Eager
        ? "2.6.32 eager-clear kmap_atomic(page, km_type) with debug_kmap_atomic: process, softirq, hardirq and NMI slots on each CPU"
        : debugHighmem
            ? "2.6.11 lazy-clear kmap_atomic(page, km_type) under CONFIG_DEBUG_HIGHMEM (pte_none checked at map, the address checked and the PTE cleared at unmap): process, softirq and hardirq slots"
            : "2.6.11 lazy-clear kmap_atomic(page, km_type): process, softirq and hardirq slots on each CPU",
    fixedTasks: true)
{
    private readonly AtomicClearMode _mode = mode;

    private bool Eager => _mode == AtomicClearMode.Eager;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var kmTypeNr = Eager ? KmTypes.WithNmi : KmTypes.Classic;
        var layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = kmTypeNr };
        var world = HighMemModel.Create(new HighMemConfig { Layout = layout, AllowMigration = false });
        probe?.BeginRound(world.Machine);
        var variant = VariantRegistry.Switch(parameters.Variant);
        var config = new TypedAtomicConfig { Mode = _mode, DebugHighmem = debugHighmem, DebugKmapAtomic = Eager, KmTypeNr = kmTypeNr, Variant = variant };
        var kmap = new TypedKmapAtomic(config, world.Windows, world.Interrupts, world.Pagefaults);
        var saveFlagsOnly = variant == AtomicVariants.IrqTypeWithIrqsOn;

        world.Machine.StartTasks("user", 1, index =>
        {
            var cpu = world.Machine.Cpus[index];
            int Page(int n) => world.HighPage(cpu.Id * 8 + n);
            for (var op = 0; More(probe, parameters, op); op++)
            {
                world.Interrupts.RaiseIrq(cpu.Id, "blk-done", c =>
                {
                    MapOnce(world, kmap, KmType.KM_BIO_SRC_IRQ, Page(2), "blk-done");
                    if (Eager) MapEach(world, kmap, HardirqTypes, Page(2), "blk-done");
                });
                world.Interrupts.RaiseSoftirq(cpu.Id, "net-rx", c =>
                {
                    MapOnce(world, kmap, KmType.KM_SOFTIRQ0, Page(3), "net-rx", window: true);
                    if (Eager) ClearHighpage(kmap, NeighHashPfn);
                    if (Eager) MapEach(world, kmap, SoftirqTypes, Page(3), "net-rx");
                });
                if (Eager)
                {
                    world.Interrupts.RaiseNmi(cpu.Id, "perf", c =>
                    {
                        MapOnce(world, kmap, KmType.KM_NMI, Page(4), "perf-nmi");
                        MapOnce(world, kmap, KmType.KM_NMI_PTE, Page(4), "perf-nmi");
                    });
                }

                MapOnce(world, kmap, KmType.KM_USER0, Page(0), "copy", window: true, probe);

                // bio_kmap_irq: the IRQ type is only safe with local IRQs off (H8: local_save_flags did not disable them).
                var flags = saveFlagsOnly ? new Kernel.IrqFlags(cpu.IrqsDisabled) : cpu.LocalIrqSave();
                MapOnce(world, kmap, KmType.KM_BIO_SRC_IRQ, Page(1), "bio", window: true, probe);
                cpu.LocalIrqRestore(flags);
                world.Interrupts.Window(cpu);
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe);
    }

    /// <summary>
    /// The other types debug_kmap_atomic (2.6.32) accepts in hardirq context, besides KM_BIO_SRC_IRQ: its in_irq()
    /// list. Each is an IRQ type, legal only with IRQs off, as they are in a hardirq handler.
    /// </summary>
    internal static readonly KmType[] HardirqTypes = [KmType.KM_IRQ0, KmType.KM_IRQ1, KmType.KM_BIO_DST_IRQ, KmType.KM_BOUNCE_READ, KmType.KM_IRQ_PTE];

    /// <summary>
    /// The other types debug_kmap_atomic accepts in softirq context with IRQs on, besides KM_SOFTIRQ0: the rest of its
    /// softirq list but the IRQ types (KM_IRQ0, KM_IRQ1, KM_BOUNCE_READ), which need IRQs off anyway.
    /// </summary>
    internal static readonly KmType[] SoftirqTypes = [KmType.KM_SOFTIRQ1, KmType.KM_SKB_SUNRPC_DATA, KmType.KM_SKB_DATA_SOFTIRQ];

    // One short section through each of <paramref name="types"/>, in turn.
    private static void MapEach(HighMemModel world, TypedKmapAtomic kmap, KmType[] types, int pfn, string who)
    {
        foreach (var type in types) MapOnce(world, kmap, type, pfn, who);
    }

    /// <summary>
    /// A lowmem page the network softirq allocates zeroed: neigh_hash_alloc's __get_free_pages(GFP_ATOMIC | __GFP_ZERO)
    /// once the ARP table outgrows a page (the path of bugzilla 10318).
    /// </summary>
    private const int NeighHashPfn = 0x2000;

    // prep_zero_page's clear_highpage(page): kmap_atomic(page, KM_USER0), clear, kunmap_atomic. Legal from softirq
    // only because the page is lowmem: kmap_atomic returns its direct-map address without touching the slot.
    private static void ClearHighpage(TypedKmapAtomic kmap, int pfn)
    {
        var va = kmap.KmapAtomic(pfn, KmType.KM_USER0);
        kmap.KunmapAtomic(va, KmType.KM_USER0);
    }

    // map, use, (interrupt point, use again), unmap — one critical section of a kmap_atomic user.
    internal static void MapOnce(HighMemModel world, TypedKmapAtomic kmap, KmType type, int pfn, string who, bool window = false, RunProbe? probe = null)
    {
        var va = Map(probe, () => kmap.KmapAtomic(pfn, type));
        TemporaryInvariants.Use(world, va, pfn, who);
        if (window)
        {
            world.Interrupts.Window(Kernel.Machine.CurrentCpuOrThrow);
            TemporaryInvariants.Use(world, va, pfn, who);
        }
        kmap.KunmapAtomic(va, type);
    }
}
