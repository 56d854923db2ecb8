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
/// Correctly the page is handed over and the consumer maps it itself; with <c>local-address-shared</c> (H18) the
/// producer's kmap_local address is handed over instead.
/// </summary>
public sealed class LocalHandoffScenario() : TemporaryScenario(
    "local-handoff",
    "kmap_local: a producer on CPU0 hands each page to a consumer on CPU1 while holding its own local mapping",
    fixedTasks: true)
{
    private const int KmMaxIdx = 4;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmMaxIdx }, AllowMigration = false });
        probe?.BeginRound(world.Machine);
        var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = KmMaxIdx }, world.Machine, world.Windows, world.Interrupts);
        var shareAddress = VariantRegistry.Switch(parameters.Variant) == LocalVariants.LocalAddressShared;
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
                }
                else
                {
                    var va = Map(probe, () => kmap.KmapLocalPage(item));
                    TemporaryInvariants.LocalUse(world, kmap, va, pfn, "consumer");
                    kmap.KunmapLocal(va);
                }
                Done(probe);
            }
            kmap.AssertNoMap(KernelTask.Current!);
        });
        machine.JoinAll();
        probe?.Checked(2);
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
            mailbox.Store(shareAddress ? unchecked((int)va) : pfn);
            world.Interrupts.Window(machine.Cpus[0]);
            TemporaryInvariants.LocalUse(world, kmap, va, pfn, "producer");
            kmap.KunmapLocal(va);
            Done(probe);
        }
        kmap.AssertNoMap(KernelTask.Current!);
    }
}
