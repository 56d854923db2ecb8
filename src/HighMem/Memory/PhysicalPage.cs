namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// A physical page (struct page) of <see cref="PhysicalMemory"/>. Its content starts as a pattern derived from its
/// frame number, so whoever reads it through a wrong or stale mapping sees another page's words: corruption is
/// observed, not assumed.
/// </summary>
public sealed class PhysicalPage
{
    /// <summary>Words of content modelled per page.</summary>
    public const int Words = 4;

    private readonly PhysicalMemory _memory;

    internal PhysicalPage(PhysicalMemory memory, int index, int pfn)
    {
        _memory = memory;
        Index = index;
        Pfn = pfn;
    }

    /// <summary>The page's index among the modelled pages (0-based).</summary>
    public int Index { get; }

    /// <summary>Page frame number.</summary>
    public int Pfn { get; }

    /// <summary>PageHighMem(): every modelled page is above the direct map.</summary>
    public bool IsHighMem => true;

    /// <summary>Word <paramref name="k"/> of the page's content.</summary>
    public int Read(int k) => _memory.Read(Pfn, k);

    /// <inheritdoc />
    public override string ToString() => $"page {Index} (pfn 0x{Pfn:x})";
}
