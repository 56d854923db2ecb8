using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Pkmap;

public sealed partial class Pkmap
{
    /// <summary>
    /// A load through pkmap address <paramref name="va"/> by the current CPU, by a caller that believes it maps
    /// <paramref name="expected"/>: the model's one checked read (<see cref="MemoryOracle.Check"/>) translates it
    /// (TLB, then the PTE) and compares the word with the expected page's content. A wrong page (stale TLB entry or
    /// recycled slot) is corruption, an empty PTE an oops. The CPU may take interrupts just before the load.
    /// </summary>
    public int ReadMapped(uint va, PhysicalPage expected, int word = 0)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var cpu = Machine.CurrentCpuOrThrow;
        cpu.InterruptWindow();
        Sim.SchedulingPoint("load through a pkmap address");
        var who = KernelTask.Current?.Name ?? $"CPU{cpu.Id}";   // mutation-report: note-text: the reader's name in a failure message
        if (cpu.Context != ContextKind.Process) who += $" ({cpu.Context})";   // mutation-report: note-text: the same
        if (!Layout.IsPkmap(va))
            Sim.Fail(BugKind.AssertionFailure, $"corruption: {who} on CPU{cpu.Id} loads from 0x{va:x8}, outside the pkmap window, expecting {expected}");
        return Oracle.Check(cpu, va, expected.Pfn, expected.Read(word), who, word);
    }
}
