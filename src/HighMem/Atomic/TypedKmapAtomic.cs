using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.AtomicVariants;

namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>
/// The old kmap_atomic(page, km_type) / kunmap_atomic(va, km_type) (≤ 2.6.36, spec §2.2): the caller picks the slot
/// of its CPU's window by type. Lazy or eager clear, optional DEBUG_HIGHMEM and debug_kmap_atomic. The model keeps a
/// ghost owner per (CPU, type) to check invariant A1 at unmap, and that no task exits holding a slot.
/// </summary>
public sealed class TypedKmapAtomic
{
    private readonly KmapWindows _windows;
    private readonly InterruptInjector _interrupts;
    private readonly PagefaultState _pagefaults;
    private readonly string?[] _owners;   // ghost: who holds (cpu, type), indexed by fixmap index − FIX_KMAP_BEGIN

    /// <summary>Creates the primitive over <paramref name="windows"/> (whose layout's window must be KM_TYPE_NR wide).</summary>
    public TypedKmapAtomic(TypedAtomicConfig config, KmapWindows windows, InterruptInjector interrupts, PagefaultState pagefaults)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        _windows = windows ?? throw new ArgumentNullException(nameof(windows));
        _interrupts = interrupts ?? throw new ArgumentNullException(nameof(interrupts));
        _pagefaults = pagefaults ?? throw new ArgumentNullException(nameof(pagefaults));
        if (windows.Layout.KmapWindow != config.KmTypeNr)
            throw new ArgumentException($"the layout's window ({windows.Layout.KmapWindow}) must equal KM_TYPE_NR ({config.KmTypeNr})");
        _owners = new string?[config.KmTypeNr * windows.Layout.NrCpus];
        windows.Tables.Machine.AddExitCheck(HeldAtExit);
        windows.Tables.AddPteOwner(OwnsPte);
    }

    /// <summary>The configuration.</summary>
    public TypedAtomicConfig Config { get; }

    /// <summary>kmap_atomic(page, type): maps frame <paramref name="pfn"/> in the caller's CPU slot <paramref name="type"/>.</summary>
    public uint KmapAtomic(int pfn, KmType type)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        var slot = CheckType(type);
        // 2.6.25's x86 kmap_atomic_prot checked the type first, also for a lowmem page that takes no slot (bugzilla 10318).
        if (Config.Variant == DebugKmapAtomicLowmem) DebugKmapAtomic(cpu, type);
        EnterAtomic(cpu);
        var layout = _windows.Layout;
        if (!layout.IsHighMem(pfn)) return layout.LowmemAddress(pfn);
        if (Config.Variant != DebugKmapAtomicLowmem) DebugKmapAtomic(cpu, type);
        cpu.Machine.Counters.AddInContext("kmap_atomic", cpu.Context);
        _interrupts.Window(cpu);   // an interrupt may land between the checks and the PTE write
        var checkPte = Config.Mode == AtomicClearMode.Eager || Config.DebugHighmem;   // mutation-report: checker: it only decides whether Install runs BUG_ON(!pte_none)
        var va = _windows.Install(cpu, slot, pfn, checkPte, "kmap_atomic", $"{type}");
        if (Config.Mode == AtomicClearMode.Lazy) KmapWindows.LocalFlush(cpu, va);   // kill the previous user's translation
        _owners[OwnerIndex(cpu.Id, slot)] = Who(cpu);
        if (Sim.IsControlled) Sim.Note($"{Who(cpu)} kmap_atomic(pfn {pfn}, {type}) = 0x{va:x8}");
        return va;
    }

    // debug_kmap_atomic(type) of the eager-clear kernels: a type the context may not use is a WARN.
    private void DebugKmapAtomic(Cpu cpu, KmType type)
    {
        if (Config is { Mode: AtomicClearMode.Eager, DebugKmapAtomic: true } && KmapLegality.Check(type, KmapContext.Of(cpu)) is { } reason)
            KernelWarning.WarnOn(true, $"debug_kmap_atomic: {reason}, CPU{cpu.Id}, {Who(cpu)}");
    }

    /// <summary>kunmap_atomic(va, type).</summary>
    public void KunmapAtomic(uint va, KmType type)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        var slot = CheckType(type);
        var layout = _windows.Layout;
        var expected = _windows.Address(cpu.Id, slot);
        var isLowmem = layout.IsDirectMapped(va);
        if (Config.Mode == AtomicClearMode.Eager)
        {
            if (X86Layout.PageAlign(va) == expected) ClearSlot(cpu, slot, expected);
            else if (Config.DebugHighmem && !isLowmem)
                throw new KernelBugException($"kernel BUG at kunmap_atomic: 0x{va:x8} is not {type} of CPU{cpu.Id} (0x{expected:x8})");
        }
        // Stryker disable once Equality,Logical : FIXADDR_START is the page below the lowest permanent fixmap, so no kmap_atomic address equals it; and without DEBUG_HIGHMEM the block would only clear and flush a slot lazy clear leaves mapped by design (BUG_ON never fires on a matching address)
        else if (Config.DebugHighmem && va >= layout.FixaddrStart)
        {
            if (X86Layout.PageAlign(va) != expected)
                throw new KernelBugException($"kernel BUG at kunmap_atomic: BUG_ON(vaddr != __fix_to_virt(FIX_KMAP_BEGIN+idx)): 0x{va:x8} is not {type} of CPU{cpu.Id} (0x{expected:x8})");
            ClearSlot(cpu, slot, expected);
        }
        if (!isLowmem) CheckOwner(cpu, slot, type, va);   // after the kernel's own checks, which speak first
        ExitAtomic(cpu);
    }

    /// <summary>The ghost owner of (cpu, type), for reports and tests.</summary>
    public string? Owner(int cpu, KmType type) => _owners[OwnerIndex(cpu, (int)type)];

    private void ClearSlot(Cpu cpu, int slot, uint va)
    {
        _windows.Clear(cpu.Id, slot);
        KmapWindows.LocalFlush(cpu, va);
    }

    // A1 (spec §5 item 13): the context unmapping (CPU, type) is the one that mapped it, on the same CPU.
    private void CheckOwner(Cpu cpu, int slot, KmType type, uint va)
    {
        var i = OwnerIndex(cpu.Id, slot);
        var me = Who(cpu);
        var owner = _owners[i];
        _owners[i] = null;
        if (owner == me) return;
        var mapped = _windows.Layout.IsKmapWindow(va) ? $"; the address it passed, 0x{va:x8}, is {_windows.Describe(_windows.Layout.VirtToFix(va))}" : "";
        Sim.Fail(BugKind.AssertionFailure,
            $"invariant A1 violated: {me} unmaps ({type}, CPU{cpu.Id}) but it is held by {owner ?? "nobody"}{mapped}");
    }

    // pagefault_disable(): from 2.6.20 it raises the preempt count, which is what keeps the holder on its CPU.
    private void EnterAtomic(Cpu cpu)
    {
        _pagefaults.Disable();
        if (Config.Variant != AtomicNoPreemptDisable) cpu.PreemptDisable();
    }

    private void ExitAtomic(Cpu cpu)
    {
        _pagefaults.Enable();
        if (Config.Variant != AtomicNoPreemptDisable) cpu.PreemptEnable();   // preempt_check_resched: a preemption point
        else cpu.InterruptWindow();
    }

    private int CheckType(KmType type)
    {
        var slot = (int)type;
        if (slot < 0 || slot >= Config.KmTypeNr)
            throw new ArgumentOutOfRangeException(nameof(type), $"{type} is not below KM_TYPE_NR = {Config.KmTypeNr}");
        return slot;
    }

    private int OwnerIndex(int cpu, int slot) => cpu * Config.KmTypeNr + slot;

    // The task's exit check: a (CPU, type) slot still held by the task, or by an interrupt that ran on it (whose
    // ghost owner carries the interrupted task's name), is a kmap_atomic without its kunmap_atomic.
    private string? HeldAtExit(KernelTask task)
    {
        var prefix = task.Name + "[";
        for (var i = 0; i < _owners.Length; i++)
        {
            if (_owners[i] is not { } owner || !owner.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var (cpu, slot) = (i / Config.KmTypeNr, i % Config.KmTypeNr);
            var pte = _windows.Pte(cpu, slot);
            return $"kmap_atomic slot {(KmType)slot} of CPU{cpu} is still held by {owner}{(pte is { } pfn ? $" (pfn {pfn})" : "")}: a kmap_atomic without its kunmap_atomic";
        }
        return null;
    }

    // A window PTE is live while its (CPU, type) has an owner; lazy clear (no DEBUG_HIGHMEM) leaves every unmapped
    // slot's PTE in place by design, until the next kmap_atomic of that type overwrites it.
    private bool OwnsPte(uint va, int pfn)
    {
        var layout = _windows.Layout;
        if (!layout.IsKmapWindow(va)) return false;
        if (Config is { Mode: AtomicClearMode.Lazy, DebugHighmem: false }) return true;
        var rel = layout.VirtToFix(va) - layout.FixKmapBegin;
        return _owners[OwnerIndex(rel / layout.KmapWindow, rel % layout.KmapWindow)] is not null;
    }

    private static string Who(Cpu cpu) => $"{cpu.CurrentTask?.Name ?? "?"}[{cpu.Context}]";   // mutation-report: checker: the ghost owner's name, read only by the A1 and exit checks and reports
}
