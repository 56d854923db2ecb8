namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// A physical highmem page (struct page). Its content is a pattern derived from its frame number, so whoever reads
/// it through a wrong or stale mapping sees another page's words: corruption is observed, not assumed.
/// </summary>
public sealed class PhysicalPage
{
    /// <summary>Words of content modelled per page.</summary>
    public const int Words = 4;

    private readonly int[] _content;

    internal PhysicalPage(int index, int pfn)
    {
        Index = index;
        Pfn = pfn;
        _content = new int[Words];
        for (var k = 0; k < Words; k++) _content[k] = Pattern(pfn, k);
    }

    /// <summary>The page's index among the model's highmem pages (0-based).</summary>
    public int Index { get; }

    /// <summary>Page frame number.</summary>
    public int Pfn { get; }

    /// <summary>PageHighMem(): every page of this model is above the direct map.</summary>
    public bool IsHighMem => true;

    /// <summary>Word <paramref name="k"/> of the page's content.</summary>
    public int Read(int k) => _content[k];

    /// <summary>The content word <paramref name="k"/> a page with frame <paramref name="pfn"/> holds.</summary>
    public static int Pattern(int pfn, int k) => unchecked((int)(((uint)pfn * 0x9E3779B1u) ^ (uint)(k * 0x01000193)));

    /// <inheritdoc />
    public override string ToString() => $"page {Index} (pfn 0x{Pfn:x})";
}
