using System.Collections.Immutable;
using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;
using static HighMemConcurrency.HighMem.Variants.VmallocVariants;

namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>
/// vmlist, sorted by address, and vmlist_lock (spec §3.1). The kernel's lock is an rwlock; here readers and
/// writers both take it exclusively, which only removes reader parallelism. Invariant 24 (spec §5) is checked
/// before every release by a writer and once every task has exited, when vmlist must also be back to the areas it
/// started with (none, in the model); the listed areas own the vmalloc arena's PTEs.
/// </summary>
public sealed class VmList
{
    private readonly SpinLock _lock;
    private readonly SimVar<ImmutableList<VmStruct>> _list = new(ImmutableList<VmStruct>.Empty, "vmlist");
    private readonly KernelPageTables _tables;
    private readonly Machine _machine;

    /// <summary>Creates an empty list over <paramref name="tables"/>' vmalloc arena.</summary>
    public VmList(VmallocConfig config, Machine machine, KernelPageTables tables)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _lock = new SpinLock(machine, "vmlist_lock");
        Start = tables.Layout.VmallocStart;
        End = Start + (uint)tables.VmallocPages * X86Layout.PageSize;
        tables.AddPteOwner(OwnsPte);
        machine.AddQuiescentCheck(CheckQuiescent);
    }

    /// <summary>The configuration.</summary>
    public VmallocConfig Config { get; }

    /// <summary>First address of the modelled arena (VMALLOC_START).</summary>
    public uint Start { get; }

    /// <summary>End of the modelled arena (within VMALLOC_END).</summary>
    public uint End { get; }

    /// <summary>The areas (a peek, for checks and reports).</summary>
    public ImmutableList<VmStruct> Areas => _list.Peek;

    /// <summary>
    /// __get_vm_area(size, flags, start, end): first fit in address order, with one trailing guard page; null when
    /// the arena is full ("allocation failed: out of vmalloc space").
    /// </summary>
    public VmStruct? GetVmArea(uint size, VmFlags flags, int owner, long physAddr = 0)
    {
        Machine.MightSleep("get_vm_area");   // kmalloc of the descriptor may sleep
        var align = 1u;
        if (flags.HasFlag(VmFlags.VM_IOREMAP))
        {
            var bit = Math.Clamp(32 - System.Numerics.BitOperations.LeadingZeroCount(size), X86Layout.PageShift, X86Layout.PageShift + 7);
            align = 1u << bit;
        }
        size = Align(size, X86Layout.PageSize);
        // PAGE_ALIGN gives 0 for size 0 and for a size within a page of 4 GiB (it wraps): the kernel returns NULL
        // before it touches vmlist. The one aligned size whose guard page would wrap cannot fit either.
        // Stryker disable once Equality : size is a page multiple here and uint.MaxValue - PageSize is not, so > and >= agree
        if (size == 0 || size > uint.MaxValue - X86Layout.PageSize) return null;
        size += X86Layout.PageSize;   // the guard page
        var locked = Config.Variant != VmlistUnlockedInsert;
        if (locked) _lock.Lock();
        var list = _list.Read();
        var a = Align(Start, align);
        var position = list.Count;
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i];
            // Stryker disable once Equality : an area starting at a takes the branch below to the same a = Align(t.End): its End is above a, and the early exit after it is an early exit only
            if (t.Addr < a)
            {
                // Stryker disable once Equality : a is aligned, so when t.End == a, Align(t.End) is a again
                if (t.End >= a) a = Align(t.End, align);
                // Stryker disable once Statement : falling through reaches only a = Align(t.End): t lies below a, so that is a again or a later aligned address (t.End is above the end a was aligned up from); the checks between refuse nothing the final one would not
                continue;
            }
            // Stryker disable once Equality,Arithmetic : a and size are page multiples, so a + size never equals uint.MaxValue; and this is an early exit only: a request past 4 GiB (refused here) is refused by the final (ulong) a + size > End check whatever a - size gives, the loop between changing nothing but a and position
            if ((ulong)a + size > uint.MaxValue) return Fail(locked);
            if (a + size <= t.Addr)
            {
                position = i;
                break;
            }
            a = Align(t.End, align);
            // Stryker disable once Arithmetic : an early exit only; when a > End - size no later hole fits (areas lie below End), so the final a + size > End check refuses it the same way
            if (a > End - size) return Fail(locked);
        }
        if ((ulong)a + size > End) return Fail(locked);
        var area = new VmStruct(a, size, flags, ImmutableArray<int>.Empty, physAddr, owner);
        _list.Write(list.Insert(position, area));
        if (Sim.IsControlled) Sim.Note($"get_vm_area: {area}");
        if (locked) Unlock();
        return area;
    }

    /// <summary>Publishes <paramref name="area"/>'s pages (the kernel assigns area-&gt;pages once they are mapped).</summary>
    public void Publish(VmStruct area)
    {
        ArgumentNullException.ThrowIfNull(area);
        _lock.Lock();
        var list = _list.Read();
        var i = list.FindIndex(t => t.Addr == area.Addr);
        if (i < 0)
        {
            _lock.Unlock();   // mutation-report: checker: the lost-area check's own branch, entered only when an update lost the area (a variant)
            Sim.Fail(BugKind.AssertionFailure, $"vmlist lost {area}: get_vm_area reserved it but it is no longer listed (a concurrent list update overwrote it)");
            // Stryker disable once Statement : unreachable, Sim.Fail never returns (it throws natively and cancels the iteration under the scheduler)
            return;
        }
        _list.Write(list.SetItem(i, area));
        Unlock();
    }

    // mutation-report: variant-only: only vfree-pages-before-flush's __vunmap looks an area up without removing it
    /// <summary>The area starting at <paramref name="addr"/>, looked up under the lock, or null.</summary>
    public VmStruct? Find(uint addr)
    {
        _lock.Lock();
        var area = _list.Read().Find(t => t.Addr == addr);
        _lock.Unlock();
        return area;
    }

    /// <summary>
    /// remove_vm_area(addr): under the write lock, find the area, clear its PTEs, flush every CPU's TLB for the
    /// range (flush_tlb_kernel_range) and unlink it. Null when no area starts there.
    /// </summary>
    public VmStruct? RemoveVmArea(uint addr)
    {
        _lock.Lock();
        var list = _list.Read();
        var area = list.Find(t => t.Addr == addr);
        if (area is null)
        {
            _lock.Unlock();   // mutation-report: misuse: only an unmap of an address where no area starts comes here (the caller's bug, which __vunmap WARNs)
            return null;      // mutation-report: misuse: the same
        }
        // Stryker disable once Equality : one more iteration visits only the guard page, whose PTE is never set, so nothing more is cleared
        for (var p = 0; p < area.MappedPages; p++)
        {
            var va = area.Addr + (uint)p * X86Layout.PageSize;
            if (_tables.Pte(va) is not null) _tables.PteClear(va);
        }
        _machine.FlushTlbKernelRange(X86Layout.Vpn(area.Addr), X86Layout.Vpn(area.End));
        _list.Write(_list.Read().Remove(area));
        Unlock();
        return area;
    }

    /// <summary>Runs <paramref name="reader"/> over the list under vmlist_lock (vread, /proc/vmallocinfo).</summary>
    public void ForEachLocked(Action<VmStruct> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _lock.Lock();
        foreach (var area in _list.Read()) reader(area);
        _lock.Unlock();
    }

    /// <summary>
    /// Invariant 24 (spec §5): sorted, non-overlapping, inside [VMALLOC_START, VMALLOC_END] and the arena, and each
    /// area's last page (the guard) unmapped. Returns the first violation, or null.
    /// </summary>
    public string? CheckInvariant24()
    {
        var list = _list.Peek;
        var layout = _tables.Layout;
        for (var i = 0; i < list.Count; i++)
        {
            var t = list[i];
            if (t.Addr < layout.VmallocStart || t.End > layout.VmallocEnd || t.Addr < Start || t.End > End)
                return $"{t} lies outside the vmalloc area";
            if (i > 0 && list[i - 1].End > t.Addr)
                return list[i - 1].Addr > t.Addr ? $"vmlist is not sorted: {list[i - 1]} before {t}" : $"{list[i - 1]} overlaps {t}";
            if (_tables.Pte(t.End - X86Layout.PageSize) is { } pfn) return $"the guard page of {t} maps pfn {pfn}";
        }
        return null;
    }

    /// <summary>
    /// The quiescence check: invariant 24, then vmlist back to what it started with (empty: every area the
    /// workload made was freed). Null when both hold.
    /// </summary>
    public string? CheckQuiescent()
    {
        if (CheckInvariant24() is { } violation) return $"invariant 24 violated at quiescence: {violation}";
        var left = _list.Peek;
        return left.IsEmpty
            ? null
            : $"at quiescence vmlist still holds {left.Count} area(s): {string.Join(", ", left)} (a vmalloc, vmap or ioremap never freed)";
    }

    // An arena PTE is owned by the listed area covering it, when it maps the frame that area puts there: its page
    // (vmalloc, vmap) or the device frame (ioremap).
    private bool OwnsPte(uint va, int pfn)
    {
        foreach (var area in _list.Peek)
        {
            if (va < area.Addr || va >= area.Addr + (uint)area.MappedPages * X86Layout.PageSize) continue;
            var p = (int)((va - area.Addr) >> X86Layout.PageShift);
            return area.Flags.HasFlag(VmFlags.VM_IOREMAP)
                ? pfn == (int)(area.PhysAddr >> X86Layout.PageShift) + p
                : p < area.NrPages && area.Pages[p] == pfn;
        }
        return false;
    }

    private void Unlock()
    {
        if (CheckInvariant24() is { } violation) Sim.Fail(BugKind.AssertionFailure, $"invariant 24 violated: {violation}");
        _lock.Unlock();
    }

    private VmStruct? Fail(bool locked)
    {
        if (locked) _lock.Unlock();
        _machine.Counters.Add("vmalloc.refusals");
        if (Sim.IsControlled) Sim.Note("allocation failed: out of vmalloc space");
        return null;
    }

    private static uint Align(uint value, uint align) => (value + align - 1) & ~(align - 1);
}
