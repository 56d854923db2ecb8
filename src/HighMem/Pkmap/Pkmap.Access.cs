using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Pkmap;

public sealed partial class Pkmap
{
    /// <summary>
    /// A load through pkmap address <paramref name="va"/> by the current CPU, by a caller that believes it maps
    /// <paramref name="expected"/>: the MMU translates it (TLB, then the PTE) and the word read is compared with the
    /// expected page's content. A wrong page (stale TLB entry or recycled slot) or an empty PTE is reported as
    /// corruption. The CPU may take interrupts just before the load.
    /// </summary>
    public int ReadMapped(long va, PhysicalPage expected, int word = 0)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var cpu = Machine.CurrentCpuOrThrow;
        cpu.InterruptWindow();
        Sim.SchedulingPoint("load through a pkmap address");
        var slot = PkmapLayout.PkmapNr(va);
        if (!Layout.Contains(va))
            Sim.Fail(BugKind.AssertionFailure, $"corruption: CPU{cpu.Id} loads from 0x{va:x}, outside the pkmap window, expecting {expected}");
        var cached = cpu.Tlb.Lookup(va >> PkmapLayout.PageShift);
        var pfn = cpu.Translate(va >> PkmapLayout.PageShift);
        if (pfn is null)
            Sim.Fail(BugKind.AssertionFailure,
                $"corruption: CPU{cpu.Id} loads from 0x{va:x} (pkmap slot {slot}) expecting {expected}, but the slot's PTE is " +
                $"empty: unable to handle kernel paging request (pkmap_count[{slot}] = {PkmapCount(slot)})");
        var value = Memory.PfnToPage(pfn!.Value).Read(word);
        if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} reads 0x{va:x} → pfn 0x{pfn:x}{(cached is null ? " (page walk)" : " (TLB hit)")}");
        if (value != expected.Read(word))
        {
            var seen = Memory.PfnToPage(pfn.Value);
            var how = cached is not null
                ? $"a stale TLB entry of CPU{cpu.Id} still maps slot {slot} to {seen} (PTE now {(Pte(slot) is { } p ? $"pfn 0x{p:x}" : "empty")})"
                : $"slot {slot} was recycled for {seen}";
            Sim.Fail(BugKind.AssertionFailure,
                $"corruption: CPU{cpu.Id} read {seen}'s content through 0x{va:x} while expecting {expected}: {how}");
        }
        return value;
    }
}
