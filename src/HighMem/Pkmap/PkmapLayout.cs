namespace HighMemConcurrency.HighMem.Pkmap;

/// <summary>
/// The pkmap window's addresses (x86-32 layout, spec §0): LAST_PKMAP pages from the PMD-aligned PKMAP_BASE.
/// </summary>
public sealed record PkmapLayout
{
    /// <summary>PAGE_SHIFT.</summary>
    public const int PageShift = 12;

    /// <summary>PKMAP_BASE: a PMD-aligned address below the fixmaps (the usual 2-level x86 value).</summary>
    public const long PkmapBase = 0xFF800000;

    /// <summary>Creates the layout for <paramref name="lastPkmap"/> slots (a power of two).</summary>
    public PkmapLayout(int lastPkmap)
    {
        if (lastPkmap < 2 || (lastPkmap & (lastPkmap - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(lastPkmap), lastPkmap, "LAST_PKMAP must be a power of two ≥ 2");
        LastPkmap = lastPkmap;
    }

    /// <summary>LAST_PKMAP.</summary>
    public int LastPkmap { get; }

    /// <summary>LAST_PKMAP_MASK.</summary>
    public int LastPkmapMask => LastPkmap - 1;

    /// <summary>First virtual page number of the window.</summary>
    public static long BaseVpn => PkmapBase >> PageShift;

    /// <summary>PKMAP_ADDR(nr).</summary>
    public static long PkmapAddr(int nr) => PkmapBase + ((long)nr << PageShift);

    /// <summary>PKMAP_NR(va).</summary>
    public static int PkmapNr(long va) => (int)((va - PkmapBase) >> PageShift);

    /// <summary>Whether <paramref name="va"/> lies inside the window (strict upper bound, cf. H12).</summary>
    public bool Contains(long va) => va >= PkmapBase && va < PkmapAddr(LastPkmap);
}
