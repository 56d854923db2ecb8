using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Fixmap;

/// <summary>
/// Accesses through kernel virtual addresses, as the CPU does them (direct map, or TLB then page walk), checked
/// against what the accessor expects to find. A miss on an empty PTE is an oops; content from another frame is
/// corruption. Both are reported as assertion failures naming the accessor, CPU, address and frames.
/// </summary>
public sealed class MemoryOracle
{
    private readonly AddressLayout _layout;

    /// <summary>Creates the oracle over <paramref name="memory"/>.</summary>
    public MemoryOracle(AddressLayout layout, FrameMemory memory)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        Memory = memory ?? throw new ArgumentNullException(nameof(memory));
    }

    /// <summary>The physical memory behind the addresses.</summary>
    public FrameMemory Memory { get; }

    /// <summary>
    /// Reads the word at <paramref name="va"/> on <paramref name="cpu"/> (one scheduling point) and checks that it
    /// equals <paramref name="expected"/>, the content of frame <paramref name="expectedPfn"/> as its owner knows it.
    /// </summary>
    public void ReadExpect(Cpu cpu, uint va, int expectedPfn, int expected, string who)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (Sim.IsControlled) Sim.SchedulingPoint($"{who} reads 0x{va:x8} on CPU{cpu.Id}");
        var pfn = Translate(cpu, va);
        if (pfn is not { } actual)
        {
            Sim.Fail(BugKind.AssertionFailure,
                $"oops: unable to handle kernel paging request at 0x{va:x8}: {who} on CPU{cpu.Id} expected pfn {expectedPfn} there, the PTE is empty");
            return;
        }
        var word = Memory.Read(actual);
        if (word == expected) return;
        var what = actual != expectedPfn ? $"pfn {actual}'s content (another page)"
            : word == PageContent.Poison ? "poison (the page was freed)" : $"0x{word:x8}";
        Sim.Fail(BugKind.AssertionFailure,
            $"corruption: {who} on CPU{cpu.Id} read 0x{va:x8} expecting pfn {expectedPfn} (0x{expected:x8}) but found {what}");
    }

    /// <summary>Translates <paramref name="va"/> as <paramref name="cpu"/>'s MMU would; null means the access faults.</summary>
    public int? Translate(Cpu cpu, uint va) =>
        _layout.IsDirectMapped(va) ? _layout.DirectMapPfn(va) : cpu.Translate(X86Layout.Vpn(va));
}
