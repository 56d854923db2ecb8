using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// Handing highmem data from a task on CPU0 to a task on CPU1 while the first holds a kmap_local mapping of it.
/// Correctly the page is handed over — found from the producer's address with kmap_to_page — and the consumer maps
/// it itself, then copies it into its buffers under nested
/// mappings — a local one, an atomic one on top (the deepest its kmap_local stack allows) and a lowmem page on top
/// of those (no slot); with <c>local-address-shared</c> (H18) the producer's kmap_local address is handed over instead.
/// </summary>
public sealed class LocalHandoffScenario() : TemporaryScenario(
    "local-handoff",
    "kmap_local: a producer on CPU0 hands each page to a consumer on CPU1 while holding its own local mapping; the consumer copies it out 3 mappings deep, the most its stack allows",
    fixedTasks: true)
{
    private const int KmMaxIdx = 4;

    /// <summary>The lowmem frame the consumer also copies into: a direct-mapped page, e.g. a slab buffer at 16 MiB.</summary>
    private const int LowmemPfn = 0x1000;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmMaxIdx }, AllowMigration = false });
        probe?.BeginRound(world.Machine);
        var variant = VariantRegistry.Switch(parameters.Variant);
        var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = KmMaxIdx, Variant = variant }, world.Machine, world.Windows, world.Interrupts);
        var shareAddress = variant == LocalVariants.LocalAddressShared;
        var mailbox = new SimAtomic(0, "mailbox");   // 0 = empty; else the handed-over page or address
        var machine = world.Machine;
        var producerDone = false;   // under stress the producer decides how many pages are handed over

        machine.StartTask("producer", 0, () =>
        {
            try
            {
                Produce(world, kmap, parameters, probe, mailbox, shareAddress);
            }
            finally
            {
                Volatile.Write(ref producerDone, true);
            }
        });
        machine.StartTask("consumer", 1, () =>
        {
            for (var op = 0; probe is not null || op < parameters.OpsPerTask; op++)
            {
                Sim.WaitUntil(() => mailbox.Peek != 0 || Volatile.Read(ref producerDone) || machine.Aborted, "the producer fills the mailbox");
                machine.ThrowIfAborted();
                if (mailbox.Peek == 0) break;   // the producer stopped (stress) or failed
                var item = mailbox.Exchange(0);
                var pfn = Page(world, parameters, op);
                if (shareAddress)
                {
                    TemporaryInvariants.LocalUse(world, kmap, unchecked((uint)item), pfn, "consumer");
                    CopyOut(world, kmap, parameters, probe);
                }
                else
                {
                    var va = Map(probe, () => kmap.KmapLocalPage(item));
                    TemporaryInvariants.LocalUse(world, kmap, va, pfn, "consumer");
                    CopyOut(world, kmap, parameters, probe);
                    kmap.KunmapLocal(va);
                }
                Done(probe);
            }
            kmap.AssertNoMap(KernelTask.Current!);
        });
        Quiesce(machine, probe, 2);
    }

    /// <summary>
    /// The consumer copies the page it holds into its two buffers, nesting as copy routines do: a local mapping, then
    /// innermost an atomic one (since 5.11 kmap_atomic is a local mapping with preemption and page faults off). Under
    /// the page's own mapping that is the deepest push the stack allows, idx KM_MAX_IDX − 1 in slot KM_MAX_IDX − 2
    /// (push checks after its increment, so the window's top slot is never handed out); this workload raises no
    /// interrupt, so nothing nests beyond it. On the full stack it also maps a lowmem page, which takes no slot.
    /// </summary>
    private static void CopyOut(HighMemModel world, KmapLocal kmap, ScenarioParameters parameters, RunProbe? probe)
    {
        var (first, second) = (world.HighPage(parameters.OpsPerTask), world.HighPage(parameters.OpsPerTask + 1));
        var dst = Map(probe, () => kmap.KmapLocalPage(first));
        var inner = Map(probe, () => kmap.KmapAtomic(second, world.Pagefaults));
        var low = Map(probe, () => kmap.KmapLocalPage(LowmemPfn));   // its direct-map address: no push
        TemporaryInvariants.LocalUse(world, kmap, dst, first, "consumer-buffer");
        TemporaryInvariants.LocalUse(world, kmap, inner, second, "consumer-buffer");
        TemporaryInvariants.KmapToPageIs(kmap, dst, first, "consumer");   // deeper slots than the producer's
        TemporaryInvariants.KmapToPageIs(kmap, inner, second, "consumer");
        TemporaryInvariants.LocalUse(world, kmap, low, LowmemPfn, "consumer-lowmem");
        kmap.KunmapLocal(low);
        kmap.KunmapAtomic(inner, world.Pagefaults);
        kmap.KunmapLocal(dst);
    }

    // The page handed over in operation op (pages are reused when a stress round outlasts them).
    private static int Page(HighMemModel world, ScenarioParameters parameters, int op) => world.HighPage(op % parameters.OpsPerTask);

    private static void Produce(HighMemModel world, KmapLocal kmap, ScenarioParameters parameters, RunProbe? probe, SimAtomic mailbox, bool shareAddress)
    {
        var machine = world.Machine;
        for (var op = 0; More(probe, parameters, op); op++)
        {
            var pfn = Page(world, parameters, op);
            var va = Map(probe, () => kmap.KmapLocalPage(pfn));
            TemporaryInvariants.LocalUse(world, kmap, va, pfn, "producer");
            Sim.WaitUntil(() => mailbox.Peek == 0 || machine.Aborted, "the consumer empties the mailbox");
            machine.ThrowIfAborted();
            // What the consumer gets is the page behind the producer's address, as a caller that only has the
            // address finds it (kmap_to_page, e.g. to build a scatterlist entry); with H18, the address itself.
            mailbox.Store(shareAddress ? unchecked((int)va) : kmap.KmapToPage(va));
            world.Interrupts.Window(machine.Cpus[0]);
            TemporaryInvariants.LocalUse(world, kmap, va, pfn, "producer");
            kmap.KunmapLocal(va);
            Done(probe);
        }
        kmap.AssertNoMap(KernelTask.Current!);
    }
}
