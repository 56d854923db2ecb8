using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// The one checked read: an access through a kernel virtual address as the CPU does it (direct map, or TLB then page
/// walk), compared with what the accessor expects to find. A miss on an empty PTE is an oops; content from another
/// frame, or poison, is corruption. Both are reported as assertion failures naming the accessor, CPU, address and
/// frames, and for a wrong frame whether a stale TLB entry or a reused PTE led there.
/// </summary>
public sealed class MemoryOracle
{
    /// <summary>Creates the oracle over <paramref name="memory"/> laid out as <paramref name="layout"/> says.</summary>
    public MemoryOracle(AddressLayout layout, PhysicalMemory memory)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
    }

    /// <summary>The address layout.</summary>
    public AddressLayout Layout { get; }

    /// <summary>The physical memory behind the addresses.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>
    /// Reads the word at <paramref name="va"/> on <paramref name="cpu"/> (one scheduling point) and checks that it
    /// equals <paramref name="expected"/>, the content of frame <paramref name="expectedPfn"/> as its owner knows it.
    /// </summary>
    public void ReadExpect(Cpu cpu, uint va, int expectedPfn, int expected, string who)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (Sim.IsControlled) Sim.SchedulingPoint($"{who} reads 0x{va:x8} on CPU{cpu.Id}");
        Check(cpu, va, expectedPfn, expected, who);
    }

    /// <summary>
    /// The load itself, inside a step the caller already scheduled: translates <paramref name="va"/>, reads word
    /// <paramref name="word"/> of the frame it reaches and fails unless it is <paramref name="expected"/>. Returns the word.
    /// </summary>
    public int Check(Cpu cpu, uint va, int expectedPfn, int expected, string who, int word = 0)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var direct = Layout.IsDirectMapped(va);
        var vpn = X86Layout.Vpn(va);
        var cachedHit = !direct && cpu.Tlb.Lookup(vpn) is not null;
        var pfn = Translate(cpu, va);
        if (pfn is not { } actual)
        {
            Sim.Fail(BugKind.AssertionFailure,
                $"oops: unable to handle kernel paging request at 0x{va:x8}: {who} on CPU{cpu.Id} expected pfn {expectedPfn} there, the PTE is empty");
            return 0;
        }
        if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} reads 0x{va:x8} → pfn {actual}{(direct ? " (direct map)" : cachedHit ? " (TLB hit)" : " (page walk)")}");
        var value = Memory.Read(actual, word);
        if (value == expected) return value;
        var what = actual != expectedPfn ? $"pfn {actual}'s content (another page): {HowItGotThere(cpu, vpn, cachedHit)}"
            : value == PageContent.Poison ? "poison (the page was freed)" : $"0x{value:x8}";
        Sim.Fail(BugKind.AssertionFailure,
            $"corruption: {who} on CPU{cpu.Id} read 0x{va:x8} expecting pfn {expectedPfn} (0x{expected:x8}) but found {what}");
        return value;
    }

    /// <summary>Translates <paramref name="va"/> as <paramref name="cpu"/>'s MMU would (filling its TLB on a walk); null means the access faults.</summary>
    public int? Translate(Cpu cpu, uint va)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        return Layout.IsDirectMapped(va) ? Layout.DirectMapPfn(va) : cpu.Translate(X86Layout.Vpn(va));
    }

    private static string HowItGotThere(Cpu cpu, long vpn, bool cachedHit)
    {
        if (!cachedHit) return "the PTE was reused for it";
        var pte = cpu.Machine.WalkPageTables(vpn) is { } now ? $"maps pfn {now}" : "is empty";
        return $"a stale TLB entry of CPU{cpu.Id} still maps it (the PTE now {pte})";
    }
}
