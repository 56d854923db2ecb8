using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Pkmap;

/// <summary>
/// The cache-colour hooks of map_new_virtual() and kunmap_high() (15de36a4c3cf, "mm/highmem: make kmap cache coloring
/// aware"): with one colour they are the generic ones — one hand stepping by one, a wrap at slot 0, LAST_PKMAP slots
/// to scan, one wait queue — and with DCACHE_N_COLORS colours they are xtensa's: a hand per colour stepping by the
/// number of colours, so a page only gets slots of its own colour.
/// </summary>
public sealed partial class Pkmap
{
    // The colours map_new_virtual honours: none before 15de36a4c3cf (the variant), where only the cache had them.
    private int Colours => Variant == KmapColourBlind ? 1 : Options.DcacheColours;

    /// <summary>get_pkmap_color(page): the colour of the pkmap address the page should get — its frame's colour.</summary>
    internal int GetPkmapColor(PhysicalPage page) => page.Pfn & (Colours - 1);

    // get_next_pkmap_nr(color): advance the colour's hand and return the slot it names (caller holds kmap_lock).
    private int GetNextPkmapNr(int color)
    {
        var hand = _lastPkmapNr[color];
        var nr = (hand.Read() + Colours) & Layout.LastPkmapMask;
        hand.Write(nr);
        return nr + color;
    }

    // no_more_pkmaps(pkmap_nr, color): the colour's hand wrapped (the generic test is pkmap_nr == 0).
    private bool NoMorePkmaps(int nr) => nr < Colours;

    // get_pkmap_entries_count(color): slots of one colour to scan before sleeping.
    private int GetPkmapEntriesCount() => Layout.LastPkmap / Colours;

    // get_pkmap_wait_queue_head(color).
    private WaitQueueHead GetPkmapWaitQueueHead(int color) => _pkmapMapWait[color];
}
