using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.AtomicVariants;

namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>
/// The stack-based kmap_atomic(page) / kunmap_atomic(va) of 2.6.37–5.10 (spec §2.5): a per-CPU index
/// <c>__kmap_atomic_idx</c> picks the slot; interrupts nest on top of whatever the CPU holds and must pop everything
/// before returning. Invariant A3 (spec §5 item 15) is checked at the end of every map and unmap.
/// </summary>
public sealed class StackKmapAtomic
{
    private readonly KmapWindows _windows;
    private readonly InterruptInjector _interrupts;
    private readonly PagefaultState _pagefaults;
    private readonly int[] _idx;      // __kmap_atomic_idx per CPU (per-CPU data: only its CPU touches it)
    private readonly int[] _writer;   // ghost: the CPU that last installed each window PTE (by index − FIX_KMAP_BEGIN)

    /// <summary>Creates the primitive; the layout's window must be KM_TYPE_NR wide.</summary>
    public StackKmapAtomic(StackAtomicConfig config, KmapWindows windows, InterruptInjector interrupts, PagefaultState pagefaults)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        _windows = windows ?? throw new ArgumentNullException(nameof(windows));
        _interrupts = interrupts ?? throw new ArgumentNullException(nameof(interrupts));
        _pagefaults = pagefaults ?? throw new ArgumentNullException(nameof(pagefaults));
        if (windows.Layout.KmapWindow != config.KmTypeNr)
            throw new ArgumentException($"the layout's window ({windows.Layout.KmapWindow}) must equal KM_TYPE_NR ({config.KmTypeNr})");
        _idx = new int[windows.Layout.NrCpus];
        _writer = new int[windows.Layout.EndOfPermanentFixedAddresses];
        windows.Tables.Machine.AddExitCheck(HeldAtExit);
        windows.Tables.AddPteOwner(OwnsPte);
    }

    /// <summary>The configuration.</summary>
    public StackAtomicConfig Config { get; }

    /// <summary>The depth of CPU <paramref name="cpu"/>'s stack (a peek).</summary>
    public int Depth(int cpu) => _idx[cpu];

    /// <summary>kmap_atomic(page): preempt_disable, pagefault_disable, push, install.</summary>
    public uint KmapAtomic(int pfn)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        cpu.PreemptDisable();
        _pagefaults.Disable();
        var layout = _windows.Layout;
        if (!layout.IsHighMem(pfn)) return layout.LowmemAddress(pfn);
        var k = Push(cpu);
        cpu.Machine.Counters.AddInContext("kmap_atomic", cpu.Context);
        if (k == Config.KmTypeNr - 1) cpu.Machine.Counters.Add("kmap_atomic.last_slot");
        _interrupts.Window(cpu);
        var va = _windows.Install(cpu, k, pfn, bugIfMapped: true, "kmap_atomic", $"stack slot {k}");
        _writer[layout.VirtToFix(va)] = cpu.Id;
        if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} kmap_atomic(pfn {pfn}) = 0x{va:x8} (slot {k})");
        CheckA3(cpu);
        return va;
    }

    /// <summary>kunmap_atomic(va): peek the top, clear and flush it, then pop (the fixed order of 20273941f212).</summary>
    public void KunmapAtomic(uint va)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        var layout = _windows.Layout;
        if (layout.IsKmapWindow(va))
        {
            var k = _idx[cpu.Id] - 1;   // kmap_atomic_idx(): peek, do not pop yet
            var top = _windows.Address(cpu.Id, k);
            if (Config.DebugHighmem)
                KernelWarning.WarnOn(X86Layout.PageAlign(va) != top,
                    $"kunmap_atomic: 0x{va:x8} is not the top of CPU{cpu.Id}'s stack (slot {k}, 0x{top:x8})");
            if (Config.Variant == PopBeforeClear)
            {
                Pop(cpu);
                _interrupts.Window(cpu);
                ClearTop(cpu, k, top);
            }
            else
            {
                ClearTop(cpu, k, top);
                _interrupts.Window(cpu);
                Pop(cpu);
            }
        }
        else if (Config.DebugHighmem && !layout.IsDirectMapped(va))
        {
            throw new KernelBugException($"kernel BUG at kunmap_atomic: 0x{va:x8} is neither a kmap slot nor lowmem");
        }
        CheckA3(cpu);
        _pagefaults.Enable();
        cpu.PreemptEnable();
    }

    private int Push(Cpu cpu)
    {
        var k = ++_idx[cpu.Id] - 1;
        if (!Config.DebugHighmem) return k;   // mutation-report: checker: the gate of DEBUG_HIGHMEM's two checks below; both ways return k, so it only decides whether they run
        KernelWarning.WarnOn(cpu.InHardIrq && !cpu.IrqsDisabled, $"kmap_atomic_idx_push: nestable hardirq kmap on CPU{cpu.Id}");
        var overflow = Config.Variant == DepthOffByOne ? k > Config.KmTypeNr : k >= Config.KmTypeNr;   // mutation-report: checker: BUG_ON(idx >= KM_TYPE_NR)'s condition; the correct model never pushes past its window
        if (overflow)
            throw new KernelBugException(
                $"kernel BUG at kmap_atomic_idx_push: BUG_ON(idx >= KM_TYPE_NR): CPU{cpu.Id} pushes index {k} with KM_TYPE_NR = {Config.KmTypeNr} ({cpu.Context} context)");
        return k;
    }

    private void Pop(Cpu cpu)
    {
        if (--_idx[cpu.Id] < 0) throw new KernelBugException($"kernel BUG at kmap_atomic_idx_pop: BUG_ON(idx < 0) on CPU{cpu.Id}");
    }

    private void ClearTop(Cpu cpu, int k, uint va)
    {
        _windows.Clear(cpu.Id, k);
        KmapWindows.LocalFlush(cpu, va);
    }

    // The task's exit check. kmap_atomic holds preemption off, so no other task ran on this CPU while the stack was
    // deep, and interrupts pop what they push before they return: a stack still deep when a task exits is the
    // exiting task's kmap_atomic without its kunmap_atomic.
    private string? HeldAtExit(KernelTask task)
    {
        var cpu = task.Cpu.Id;
        var d = _idx[cpu];
        if (d <= 0) return null;
        var top = _windows.Pte(cpu, d - 1);
        return $"CPU{cpu}'s kmap_atomic stack is still {d} deep (slot {d - 1} maps {(top is { } pfn ? $"pfn {pfn}" : "nothing")}): a kmap_atomic without its kunmap_atomic";
    }

    // A window PTE is live below its CPU's stack top.
    private bool OwnsPte(uint va, int pfn)
    {
        var layout = _windows.Layout;
        if (!layout.IsKmapWindow(va)) return false;
        var rel = layout.VirtToFix(va) - layout.FixKmapBegin;
        return rel % layout.KmapWindow < _idx[rel / layout.KmapWindow];
    }

    // A3 (spec §5 item 15) at an operation boundary: the depth is not negative, and no slot at or above it still
    // holds a PTE this CPU installed (the top is lowered only after its slot is clean). Another CPU's write into this
    // window (H2) is a collision, left to BUG_ON and the content oracle.
    private void CheckA3(Cpu cpu)
    {
        var d = _idx[cpu.Id];
        // Stryker disable once Statement : unreachable — the depth only falls in Pop, which BUGs as it goes negative, before any check
        if (d < 0) Sim.Fail(BugKind.AssertionFailure, $"invariant A3 violated: CPU{cpu.Id}'s kmap_atomic depth is {d}");
        for (var k = Math.Max(d, 0); k < Config.KmTypeNr; k++)
        {
            var g = _windows.Layout.KmapFixIndex(cpu.Id, k);
            if (_windows.Tables.Pte(_windows.Layout.FixToVirt(g)) is { } pfn && _writer[g] == cpu.Id)
                Sim.Fail(BugKind.AssertionFailure,
                    $"invariant A3 violated: CPU{cpu.Id}'s slot {k} is at or above the stack top {d} but still maps pfn {pfn}");
        }
    }
}
