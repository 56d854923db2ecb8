namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// The machine's physical memory: <see cref="PhysicalPage.Words"/> words per frame, each initially
/// <see cref="PageContent.Of"/> its frame, for the modelled frames from the first highmem frame (max_low_pfn) up.
/// It is hardware, not a model variable: accesses happen inside steps the scheduler ordered (volatile natively), and
/// wrong accesses are caught by comparing contents, not by race detection.
/// </summary>
public sealed class PhysicalMemory
{
    private readonly PhysicalPage[] _pages;
    private readonly int[] _words;

    /// <summary>Models the writable frames [<paramref name="firstPfn"/>, <paramref name="firstPfn"/> + <paramref name="frames"/>).</summary>
    public PhysicalMemory(int firstPfn, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPfn);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        FirstPfn = firstPfn;
        _pages = Enumerable.Range(0, frames).Select(i => new PhysicalPage(this, i, firstPfn + i)).ToArray();
        _words = new int[frames * PhysicalPage.Words];
        for (var i = 0; i < _words.Length; i++) _words[i] = PageContent.Of(firstPfn + i / PhysicalPage.Words, i % PhysicalPage.Words);
    }

    /// <summary>The first modelled frame.</summary>
    public int FirstPfn { get; }

    /// <summary>The modelled pages (struct page), by index.</summary>
    public IReadOnlyList<PhysicalPage> Pages => _pages;

    /// <summary>The page with frame <paramref name="pfn"/> (pfn_to_page).</summary>
    public PhysicalPage PfnToPage(int pfn)
    {
        var i = pfn - FirstPfn;
        if (i < 0 || i >= _pages.Length) throw new ArgumentOutOfRangeException(nameof(pfn), $"pfn {pfn} is not a modelled page");
        return _pages[i];
    }

    /// <summary>Word <paramref name="word"/> of frame <paramref name="pfn"/>; a frame outside the modelled range keeps its initial pattern.</summary>
    public int Read(int pfn, int word = 0)
    {
        var i = pfn - FirstPfn;
        return i >= 0 && i < _pages.Length ? Volatile.Read(ref _words[i * PhysicalPage.Words + word]) : PageContent.Of(pfn, word);
    }

    /// <summary>Fills frame <paramref name="pfn"/> with <paramref name="value"/> (every word, as a memset of the page).</summary>
    public void Write(int pfn, int value)
    {
        var i = pfn - FirstPfn;
        if (i < 0 || i >= _pages.Length) throw new ArgumentOutOfRangeException(nameof(pfn), $"frame {pfn} is not writable in this model");
        for (var k = 0; k < PhysicalPage.Words; k++) Volatile.Write(ref _words[i * PhysicalPage.Words + k], value);
    }
}
