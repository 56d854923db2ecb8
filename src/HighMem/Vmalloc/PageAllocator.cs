using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using SpinLock = HighMemConcurrency.Kernel.SpinLock;

namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>
/// alloc_page / __free_page over a small pool of highmem frames, under zone-&gt;lock. A freed page is poisoned
/// (PAGE_POISONING), so a read through a stale mapping of it shows as a use after free. Freeing a page that is
/// already free is the kernel's BUG (put_page_testzero on a zero count); once every task has exited, every page of
/// the pool must be back (a quiescence check: what is missing leaked).
/// </summary>
public sealed class PageAllocator
{
    private readonly SpinLock _lock;
    private readonly Systematic.SimVar<ImmutableStack<int>> _free;
    private readonly PhysicalMemory _memory;
    private readonly int _firstPfn;
    private readonly int _count;

    /// <summary>
    /// Creates the pool of frames [<paramref name="firstPfn"/>, +<paramref name="count"/>) and registers its leak
    /// check with <paramref name="machine"/>'s quiescence checks.
    /// </summary>
    public PageAllocator(Machine machine, PhysicalMemory memory, int firstPfn, int count)
    {
        ArgumentNullException.ThrowIfNull(machine);
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _lock = new SpinLock(machine, "zone->lock");
        _firstPfn = firstPfn;
        _count = count;
        var stack = ImmutableStack<int>.Empty;
        for (var pfn = firstPfn + count - 1; pfn >= firstPfn; pfn--) stack = stack.Push(pfn);
        _free = new Systematic.SimVar<ImmutableStack<int>>(stack, "free_area");
        machine.AddQuiescentCheck(Leaked);
    }

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

    /// <summary>__free_page(): poisons the frame and returns it to the pool; a frame already free is a BUG.</summary>
    public void FreePage(int pfn)
    {
        if (Systematic.Sim.IsControlled) Systematic.Sim.SchedulingPoint($"poison pfn {pfn}");
        _memory.Write(pfn, PageContent.Poison);
        _lock.Lock();
        var free = _free.Read();
        // The kernel's page count is 0 exactly while the page is on a free list; the model asks the list (the read it
        // makes anyway, so the check adds no step to any trace).
        if (free.Contains(pfn))
        {
            _lock.Unlock();
            throw new KernelBugException($"kernel BUG at include/linux/mm.h: put_page_testzero: BUG_ON(page_count(page) == 0): " +
                                         $"__free_page of pfn 0x{pfn:x}, which is already free (a double free)");
        }
        _free.Write(free.Push(pfn));
        _lock.Unlock();
    }

    // The quiescence check: every frame of the pool is free again.
    private string? Leaked()
    {
        var free = _free.Peek;
        var missing = Enumerable.Range(_firstPfn, _count).Where(pfn => !free.Contains(pfn)).ToList();
        return missing.Count == 0
            ? null
            : $"at quiescence {missing.Count} page(s) of the pool were never freed: {string.Join(", ", missing.Select(pfn => $"pfn 0x{pfn:x}"))} " +
              "(an alloc_page without its __free_page: a leak)";
    }
}
