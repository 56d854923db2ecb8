namespace HighMemConcurrency.HighMem.Memory;

/// <summary>
/// The content oracle: each physical page starts out holding words derived from its frame number, so a read
/// through a reused slot or a stale translation is seen as the wrong page's content, not guessed.
/// </summary>
public static class PageContent
{
    /// <summary>What a freed page holds (PAGE_POISON's 0xaa pattern): reading it is a use after free.</summary>
    public const int Poison = unchecked((int)0xAAAA_AAAA);

    /// <summary>The initial content of word <paramref name="word"/> of frame <paramref name="pfn"/> (a bijective mix of the frame, so distinct frames differ).</summary>
    public static int Of(int pfn, int word = 0) =>
        unchecked((int)(((uint)pfn * 0x9E37_79B1u) ^ 0x5A5A_0000u ^ (uint)(word * 0x0100_0193)));

    /// <summary>The content an owner (e.g. a vmalloc area) writes into its pages: distinct from every frame pattern's owner tag space.</summary>
    public static int Tag(int owner, int page) => unchecked((int)(0x7000_0000u | ((uint)owner << 12) | (uint)page));
}
