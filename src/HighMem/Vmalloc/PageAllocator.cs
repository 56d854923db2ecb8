using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>
/// alloc_page / __free_page over a small pool of highmem frames, under zone-&gt;lock. A freed page is poisoned
/// (PAGE_POISONING), so a read through a stale mapping of it shows as a use after free.
/// </summary>
public sealed class PageAllocator
{
    private readonly SpinLock _lock;
    private readonly Systematic.SimVar<ImmutableStack<int>> _free;
    private readonly PhysicalMemory _memory;

    /// <summary>Creates the pool of frames [<paramref name="firstPfn"/>, +<paramref name="count"/>).</summary>
    public PageAllocator(Machine machine, PhysicalMemory memory, int firstPfn, int count)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _lock = new SpinLock(machine, "zone->lock");
        var stack = ImmutableStack<int>.Empty;
        for (var pfn = firstPfn + count - 1; pfn >= firstPfn; pfn--) stack = stack.Push(pfn);
        _free = new Systematic.SimVar<ImmutableStack<int>>(stack, "free_area");
    }

    /// <summary>The frames in the pool now (a peek, for a workload's leak check at quiescence).</summary>
    public int FreePages => _free.Peek.Count();

    /// <summary>alloc_page(GFP_HIGHMEM): a free frame, or null when the pool is empty.</summary>
    public int? AllocPage()
    {
        _lock.Lock();
        var free = _free.Read();
        int? pfn = null;
        if (!free.IsEmpty)
        {
            pfn = free.Peek();
            _free.Write(free.Pop());
        }
        _lock.Unlock();
        return pfn;
    }

    /// <summary>__free_page(): poisons the frame and returns it to the pool.</summary>
    public void FreePage(int pfn)
    {
        if (Systematic.Sim.IsControlled) Systematic.Sim.SchedulingPoint($"poison pfn {pfn}");
        _memory.Write(pfn, PageContent.Poison);
        _lock.Lock();
        _free.Write(_free.Read().Push(pfn));
        _lock.Unlock();
    }
}
