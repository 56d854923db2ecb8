namespace HighMemConcurrency.HighMem.Memory;

/// <summary>The model's highmem pages, from the first frame above the ~896 MiB direct map.</summary>
public sealed class PhysicalMemory
{
    /// <summary>First highmem page frame (896 MiB / 4 KiB).</summary>
    public const int HighStartPfn = 0x38000;

    private readonly PhysicalPage[] _pages;

    /// <summary>Creates <paramref name="pages"/> highmem pages.</summary>
    public PhysicalMemory(int pages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        _pages = Enumerable.Range(0, pages).Select(i => new PhysicalPage(i, HighStartPfn + i)).ToArray();
    }

    /// <summary>The pages, by index.</summary>
    public IReadOnlyList<PhysicalPage> Pages => _pages;

    /// <summary>The page with frame <paramref name="pfn"/> (pfn_to_page).</summary>
    public PhysicalPage PfnToPage(int pfn)
    {
        var i = pfn - HighStartPfn;
        if (i < 0 || i >= _pages.Length) throw new ArgumentOutOfRangeException(nameof(pfn), $"pfn 0x{pfn:x} is not a modelled page");
        return _pages[i];
    }
}
