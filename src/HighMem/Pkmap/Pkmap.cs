using SpinLock = HighMemConcurrency.Kernel.SpinLock;
using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Pkmap;

/// <summary>
/// The permanent (sleeping) kernel mappings of mm/highmem.c (spec §1): pkmap_count, the pkmap PTEs, last_pkmap_nr,
/// kmap_lock, pkmap_map_wait and page_address_htable, with kmap/kunmap and their helpers under the kernel's names.
/// Shared state is held in engine primitives: the counts, hand and hash lists are plain memory (a race on them is
/// reported); the PTEs are the kernel page tables' (<see cref="KernelPageTables"/>), written with set_pte_at and
/// pte_clear.
/// </summary>
public sealed partial class Pkmap
{
    private readonly SimVar<int>[] _pkmapCount;
    private readonly SimVar<int>[] _lastPkmapNr;   // last_pkmap_nr, or last_pkmap_nr_arr[color] with colours
    private readonly WaitQueueHead[] _pkmapMapWait; // pkmap_map_wait, or pkmap_map_wait_arr[color]
    private readonly int[] _references;           // ghost state, under kmap_lock: outstanding kmap references per page

    /// <summary>
    /// Creates the model on <paramref name="machine"/> over the memory <paramref name="oracle"/> checks (whose layout
    /// gives LAST_PKMAP and PKMAP_BASE), with its PTEs in <paramref name="tables"/> (built with the pkmap range).
    /// </summary>
    public Pkmap(Machine machine, MemoryOracle oracle, KernelPageTables tables, PkmapOptions options)
    {
        Machine = machine ?? throw new ArgumentNullException(nameof(machine));
        Oracle = oracle ?? throw new ArgumentNullException(nameof(oracle));
        Tables = tables ?? throw new ArgumentNullException(nameof(tables));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Layout = oracle.Layout;
        Memory = oracle.Memory;
        if (Layout.LastPkmap < 2 || (Layout.LastPkmap & Layout.LastPkmapMask) != 0)   // mutation-report: misuse: the argument check of a bad LAST_PKMAP
            throw new ArgumentOutOfRangeException(nameof(oracle), Layout.LastPkmap, "LAST_PKMAP must be a power of two ≥ 2");
        _pkmapCount = Enumerable.Range(0, Layout.LastPkmap).Select(i => new SimVar<int>(0, $"pkmap_count[{i}]")).ToArray();
        if (options.DcacheColours < 1 || (options.DcacheColours & (options.DcacheColours - 1)) != 0 || options.DcacheColours > Layout.LastPkmap)
            throw new ArgumentOutOfRangeException(nameof(options), options.DcacheColours, "DCACHE_N_COLORS must be a power of two dividing LAST_PKMAP");
        var colours = options.DcacheColours;
        _lastPkmapNr = Enumerable.Range(0, colours).Select(c => new SimVar<int>(0, colours == 1 ? "last_pkmap_nr" : $"last_pkmap_nr_arr[{c}]")).ToArray();
        _references = new int[Memory.Pages.Count];
        KmapLock = new SpinLock(machine, "kmap_lock");
        _pkmapMapWait = Enumerable.Range(0, colours).Select(c => new WaitQueueHead(machine, colours == 1 ? "pkmap_map_wait" : $"pkmap_map_wait_arr[{c}]")).ToArray();
        PageAddresses = new PageAddressTable(machine, Layout, options.HashBuckets);
        if (Sim.IsControlled) Sim.OnDeadlock(() => PkmapDeadlockDiagnosis.Explain(this));
        // A pkmap PTE is live from map_new_virtual (count 1) until flush_all_zero_pkmaps clears it (count 0).
        tables.AddPteOwner((va, _) => Layout.IsPkmap(va) && PkmapCount(Layout.PkmapNr(va)) >= 1);
        machine.AddQuiescentCheck(() => PkmapInvariants.CheckQuiescent(this));
    }

    /// <summary>The machine the model runs on.</summary>
    public Machine Machine { get; }

    /// <summary>The highmem pages.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>The configuration.</summary>
    public PkmapOptions Options { get; }

    /// <summary>The address layout (PKMAP_BASE, LAST_PKMAP).</summary>
    public AddressLayout Layout { get; }

    /// <summary>init_mm's kernel page tables, which hold pkmap_page_table.</summary>
    public KernelPageTables Tables { get; }

    /// <summary>The checked read through kernel addresses.</summary>
    public MemoryOracle Oracle { get; }

    /// <summary>The bug variant switched on, or null for the correct model.</summary>
    public BugVariant? Variant => Options.Variant;

    /// <summary>kmap_lock.</summary>
    public SpinLock KmapLock { get; }

    /// <summary>pkmap_map_wait (with colours: colour 0's queue, pkmap_map_wait_arr[0]).</summary>
    public WaitQueueHead PkmapMapWait => _pkmapMapWait[0];

    /// <summary>Every wait queue a kmap may sleep on: pkmap_map_wait, or one per colour.</summary>
    public IReadOnlyList<WaitQueueHead> PkmapMapWaits => _pkmapMapWait;

    /// <summary>page_address_htable.</summary>
    public PageAddressTable PageAddresses { get; }

    /// <summary>Whether kmap_lock is taken with IRQs off (ARCH_NEEDS_KMAP_HIGH_GET, or the H3 variant).</summary>
    public bool KmapLockDisablesIrqs => Options.ArchNeedsKmapHighGet || Variant == IrqOffLockIpiFlush;

    // ------------------------------------------------------------------ peeks (no scheduling point), for checks and reports

    /// <summary>pkmap_count[i] (a peek).</summary>
    public int PkmapCount(int i) => _pkmapCount[i].Peek;

    /// <summary>The page frame pkmap PTE i maps, or null for pte_none (a peek).</summary>
    public int? Pte(int i) => Tables.Pte(Layout.PkmapAddr(i));

    /// <summary>last_pkmap_nr (a peek; with colours, colour 0's hand).</summary>
    public int LastPkmapNr => _lastPkmapNr[0].Peek;

    /// <summary>Outstanding kmap/kmap_high_get references the model handed out for <paramref name="page"/> (a peek).</summary>
    public int References(PhysicalPage page) => Volatile.Read(ref _references[page.Index]);

    /// <summary>The pkmap_count array (a peek).</summary>
    public int[] PkmapCounts() => _pkmapCount.Select(c => c.Peek).ToArray();

    // ------------------------------------------------------------------ locking flavours (spec §1.2)

    /// <summary>lock_kmap().</summary>
    internal void LockKmap()
    {
        if (KmapLockDisablesIrqs) KmapLock.LockIrq();
        else KmapLock.Lock();
    }

    /// <summary>unlock_kmap(): the invariants kmap_lock protects must hold at every release.</summary>
    internal void UnlockKmap()
    {
        CheckOnRelease();
        if (KmapLockDisablesIrqs) KmapLock.UnlockIrq();
        else KmapLock.Unlock();
    }

    /// <summary>lock_kmap_any(flags): irqsave on ARCH_NEEDS_KMAP_HIGH_GET, a plain lock (flags ignored) otherwise.</summary>
    internal IrqFlags LockKmapAny()
    {
        if (KmapLockDisablesIrqs) return KmapLock.LockIrqSave();
        KmapLock.Lock();
        return default;
    }

    /// <summary>unlock_kmap_any(flags).</summary>
    internal void UnlockKmapAny(IrqFlags flags)
    {
        CheckOnRelease();
        if (KmapLockDisablesIrqs) KmapLock.UnlockIrqRestore(flags);
        else KmapLock.Unlock();
    }

    private void CheckOnRelease()
    {
        if (!Options.CheckInvariantsOnUnlock) return;
        if (PkmapInvariants.Check(this) is { } violation) Sim.Fail(BugKind.AssertionFailure, violation);
    }

    // ------------------------------------------------------------------ state helpers (caller holds kmap_lock)

    private int ReadCount(int i) => _pkmapCount[i].Read();

    /// <summary>
    /// Writes pkmap_count[i]; P9: only flush_all_zero_pkmaps may write 0, and only over a 1 — the flush writes only
    /// slots it has just read as 1, so the check left here is that nobody else writes 0.
    /// </summary>
    private void WriteCount(int i, int old, int value, bool flushing = false)
    {
        if (value == 0 && !flushing)
            Sim.Fail(BugKind.AssertionFailure, $"invariant P9 violated: pkmap_count[{i}] written 0 over {old} outside flush_all_zero_pkmaps");
        _pkmapCount[i].Write(value);
        if (Sim.IsControlled) Sim.Note($"pkmap_count[{i}]: {old}→{value}");
    }

    private void AddReference(PhysicalPage page, int delta) => _references[page.Index] += delta;

    /// <summary>page_address().</summary>
    public uint PageAddress(PhysicalPage page) => PageAddresses.PageAddress(page);

    private static KernelBugException Bug(string function, string what) => new($"kernel BUG at mm/highmem.c:{function}: {what}");
}
