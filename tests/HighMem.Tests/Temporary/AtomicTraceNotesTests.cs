using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>A bug report's interleaving says which slot each kmap_atomic took and where the local TLB flushes fell.</summary>
public sealed class AtomicTraceNotesTests
{
    [Fact]
    public void TheInterleaving_NamesEachKmapAtomicAndEachLocalFlush()
    {
        int stackPfn = 0, typedPfn = 0;
        var report = SystematicTest.Run(() =>
        {
            var world = OnCpu.World(window: 4);
            var stack = new StackKmapAtomic(new StackAtomicConfig { KmTypeNr = 4 }, world.Windows, world.Interrupts, world.Pagefaults);
            var typed = new TypedKmapAtomic(new TypedAtomicConfig { KmTypeNr = 4 }, world.Windows, world.Interrupts, world.Pagefaults);
            (stackPfn, typedPfn) = (world.HighPage(0), world.HighPage(1));
            world.Machine.StartTask("test", 0, () =>
            {
                stack.KunmapAtomic(stack.KmapAtomic(stackPfn));                            // slot 0 of CPU0: 0xffffb000
                typed.KunmapAtomic(typed.KmapAtomic(typedPfn, KmType.KM_USER0), KmType.KM_USER0);   // type 3: 0xffff8000
            });
            world.Machine.JoinAll();
            Sim.Assert(false, "stop");   // end the iteration with a report, to read its interleaving
        }, new TestOptions { Iterations = 1 });
        Assert.Equal("stop", report.Bug!.Message);
        var notes = report.Bug.Steps.SelectMany(s => s.Notes).Where(n => n.Contains("kmap_atomic", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"CPU0 kmap_atomic(pfn {stackPfn}) = 0xffffb000 (slot 0)", $"test[Process] kmap_atomic(pfn {typedPfn}, KM_USER0) = 0xffff8000"], notes);
        var flushes = report.Bug.Steps.Select(s => $"{s.Operation} {s.Target}").Where(o => o.Contains("local TLB flush", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, flushes.Count);
        Assert.Contains("CPU0 local TLB flush 0xffffb000", flushes[0]);
        Assert.Contains("CPU0 local TLB flush 0xffff8000", flushes[1]);
    }
}
