using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Fixmap;

/// <summary>
/// The content of physical pages: one word per frame, initially <see cref="PageContent.Of"/>. It is hardware, not
/// a model variable: accesses happen inside steps the scheduler ordered (volatile natively), and wrong accesses are
/// caught by comparing contents, not by race detection.
/// </summary>
public sealed class FrameMemory
{
    private readonly int _firstPfn;
    private readonly int[] _words;

    /// <summary>Models frames [<paramref name="firstPfn"/>, <paramref name="firstPfn"/> + <paramref name="frames"/>) as writable.</summary>
    public FrameMemory(int firstPfn, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPfn);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        _firstPfn = firstPfn;
        _words = new int[frames];
        for (var i = 0; i < frames; i++) _words[i] = PageContent.Of(firstPfn + i);
    }

    /// <summary>The word frame <paramref name="pfn"/> holds; frames outside the writable range keep their initial pattern.</summary>
    public int Read(int pfn)
    {
        var i = pfn - _firstPfn;
        return i >= 0 && i < _words.Length ? Volatile.Read(ref _words[i]) : PageContent.Of(pfn);
    }

    /// <summary>Stores <paramref name="value"/> in frame <paramref name="pfn"/>.</summary>
    public void Write(int pfn, int value)
    {
        var i = pfn - _firstPfn;
        if (i < 0 || i >= _words.Length) throw new ArgumentOutOfRangeException(nameof(pfn), $"frame {pfn} is not writable in this model");
        Volatile.Write(ref _words[i], value);
    }
}
