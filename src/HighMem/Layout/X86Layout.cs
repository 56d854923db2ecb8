namespace HighMemConcurrency.HighMem.Layout;

/// <summary>
/// Fixed constants of the x86-32 (non-PAE, 3G/1G split) kernel address space, spec §0. Everything that depends on
/// the machine's size (RAM, NR_CPUS, window width) lives in <see cref="AddressLayout"/>.
/// </summary>
public static class X86Layout
{
    /// <summary>PAGE_SHIFT: 4 KiB pages.</summary>
    public const int PageShift = 12;

    /// <summary>PAGE_SIZE.</summary>
    public const uint PageSize = 1u << PageShift;

    /// <summary>PAGE_MASK: clears the offset within a page.</summary>
    public const uint PageMask = ~(PageSize - 1);

    /// <summary>PAGE_OFFSET: the kernel owns the top 1 GiB.</summary>
    public const uint PageOffset = 0xC000_0000;

    /// <summary>__VMALLOC_RESERVE: address space kept above the direct map for vmalloc, pkmap and fixmap.</summary>
    public const uint VmallocReserve = 128u << 20;

    /// <summary>MAXMEM = 4G − PAGE_OFFSET − __VMALLOC_RESERVE: at most 896 MiB of RAM is directly mapped.</summary>
    public const uint MaxMem = (uint)(0x1_0000_0000L - PageOffset - VmallocReserve);

    /// <summary>VMALLOC_OFFSET: the guard gap between the direct map and the vmalloc area.</summary>
    public const uint VmallocOffset = 8u << 20;

    /// <summary>PMD_SIZE without PAE: one page-table page maps 4 MiB.</summary>
    public const uint PmdSize = 4u << 20;

    /// <summary>PMD_MASK.</summary>
    public const uint PmdMask = ~(PmdSize - 1);

    /// <summary>FIXADDR_TOP (= __FIXADDR_TOP): the very top page is left unmapped.</summary>
    public const uint FixaddrTop = 0xFFFF_F000;

    /// <summary>The virtual page number of <paramref name="va"/>.</summary>
    public static long Vpn(uint va) => va >> PageShift;

    /// <summary>The address rounded down to its page.</summary>
    public static uint PageAlign(uint va) => va & PageMask;
}
