using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Layout;

/// <summary>
/// The x86-32 kernel address layout of one machine (spec §0), high → low: FIXADDR_TOP → permanent fixmaps (with
/// the per-CPU kmap windows) → FIXADDR_START → boot-time fixmaps → FIXADDR_BOOT_START → pkmap area (PKMAP_BASE) →
/// two guard pages → VMALLOC_END → vmalloc area → VMALLOC_START → 8–16 MiB hole → high_memory → direct map → PAGE_OFFSET.
/// Immutable; every derived value is computed from the init properties.
/// </summary>
public sealed record AddressLayout
{
    /// <summary>NR_CPUS.</summary>
    public int NrCpus { get; init; } = 2;

    /// <summary>
    /// W, the width of each CPU's kmap window: KM_TYPE_NR up to 5.10 (13 in 2.6.11, 16 on later x86; a depth
    /// limit for the stack-based kmap_atomic), KM_MAX_IDX from 5.11.
    /// </summary>
    public int KmapWindow { get; init; } = KmTypeCount;

    /// <summary>LAST_PKMAP: 1024 without PAE.</summary>
    public int LastPkmap { get; init; } = 1024;

    /// <summary>RAM in bytes; the part above MAXMEM is highmem.</summary>
    public long RamBytes { get; init; } = 1L << 30;

    /// <summary>Permanent fixmap entries below the kmap windows (FIX_HOLE, FIX_VDSO, FIX_APIC_BASE, FIX_IO_APIC_BASE_0).</summary>
    public int FixmapsBeforeKmap { get; init; } = 4;

    /// <summary>Permanent fixmap entries after the kmap windows (e.g. FIX_PCIE_MCFG, FIX_TEXT_POKE0).</summary>
    public int FixmapsAfterKmap { get; init; } = 2;

    /// <summary>Boot-time fixmap entries (FIX_BTMAP_BEGIN..END, NR_FIX_BTMAPS).</summary>
    public int BootFixmaps { get; init; } = 64;

    /// <summary>
    /// The architecture whose kmap_local code the run models (see <see cref="KernelArch"/>): only what the kernel's
    /// history needs differs — the meaning of a zero PTE value, FIXADDR_TOP and the span of a PTE table. The rest of the
    /// address map stays x86-32's.
    /// </summary>
    public KernelArch Arch { get; init; } = KernelArch.X86;

    /// <summary>
    /// xtensa's fixmap numbering before 1eb0616c2df5 ("xtensa/mm/highmem: Make generic kmap_atomic() work correctly",
    /// 5.11): <c>__fix_to_virt(x) = FIXADDR_START + (x &lt;&lt; PAGE_SHIFT)</c>, bottom up, while the generic
    /// kmap_local code assumes top down. Off everywhere but in variant <c>xtensa-fixmap-bottom-up</c>.
    /// </summary>
    public bool FixmapGrowsUp { get; init; }

    /// <summary>
    /// FIXADDR_TOP: x86's 0xFFFFF000 (<see cref="X86Layout.FixaddrTop"/>), or ARM's FIXADDR_END − PAGE_SIZE = 0xFFEFF000
    /// (arch/arm/include/asm/fixmap.h), which puts FIX_KMAP_BEGIN (1 on ARM) 255 PTEs above a 2 MiB table boundary.
    /// </summary>
    public uint FixaddrTop => Arch == KernelArch.Arm ? ArmFixaddrTop : X86Layout.FixaddrTop;   // mutation-report: equivalent[Conditional (true); Conditional (false); Equality]: a self-consistent layout 1 MiB lower or higher: every fixmap, pkmap and vmalloc address is derived from it, and only ARM's kmap-pte-linear-on-arm variant depends on where a PTE table starts

    /// <summary>ARM's FIXADDR_TOP: FIXADDR_END (0xFFF00000) − PAGE_SIZE.</summary>
    public const uint ArmFixaddrTop = 0xFFEF_F000;

    /// <summary>
    /// The span of one PTE table page: x86-32 without PAE, PMD_SIZE (1024 PTEs, 4 MiB); ARM without LPAE, 2 MiB (the
    /// 512 Linux PTEs of two 1 MiB sections in one page, beside their hardware tables). A PTE pointer moved past its
    /// table's first entry is no longer in that table.
    /// </summary>
    public uint PteTableSpan => Arch == KernelArch.Arm ? 2u << 20 : X86Layout.PmdSize;   // mutation-report: equivalent[Conditional (true); Conditional (false); Equality; Bitwise]: read only by KmapWindows.KmapPte's same-table test, which every correct configuration's window passes in a 2 MiB table as in a 4 MiB one (only ARM's kmap-pte-linear-on-arm variant leaves the table)

    /// <summary>
    /// pte_none(__pte(0)): true on x86 and ARM, where an empty PTE is all zeroes; false on xtensa, whose empty PTE is
    /// _PAGE_CA_INVALID | _PAGE_USER (the reason for 66f133ceab74).
    /// </summary>
    public bool ZeroPteIsNone => Arch != KernelArch.Xtensa;   // mutation-report: variant-only: read only by variant pte-none-guard-check's guard test

    /// <summary>KM_TYPE_NR of 2.6.11 i386 (the 13 <c>km_type</c> values).</summary>
    public const int KmTypeCount = 13;

    /// <summary>FIX_KMAP_BEGIN: the first fixmap index of CPU 0's window.</summary>
    public int FixKmapBegin => FixmapsBeforeKmap;

    /// <summary>FIX_KMAP_END = FIX_KMAP_BEGIN + W·NR_CPUS − 1.</summary>
    public int FixKmapEnd => FixKmapBegin + KmapWindow * NrCpus - 1;   // mutation-report: equivalent[Arithmetic -> NrCpus + 1]: a self-consistent layout with two more permanent fixmap entries after the windows, which nothing maps

    /// <summary>__end_of_permanent_fixed_addresses.</summary>
    public int EndOfPermanentFixedAddresses => FixKmapEnd + 1 + FixmapsAfterKmap;   // mutation-report: equivalent[Arithmetic -> FixKmapEnd - 1]: a self-consistent layout with two fewer of the fixmap entries after the windows, which nothing maps

    /// <summary>__end_of_fixed_addresses (permanent plus boot-time entries).</summary>
    public int EndOfFixedAddresses => EndOfPermanentFixedAddresses + BootFixmaps;

    /// <summary>FIXADDR_START = FIXADDR_TOP − (#permanent fixmaps &lt;&lt; PAGE_SHIFT).</summary>
    public uint FixaddrStart => FixaddrTop - ((uint)EndOfPermanentFixedAddresses << X86Layout.PageShift);

    /// <summary>FIXADDR_BOOT_START: below the boot-time fixmaps.</summary>
    public uint FixaddrBootStart => FixaddrTop - ((uint)EndOfFixedAddresses << X86Layout.PageShift);

    /// <summary>PKMAP_BASE = (FIXADDR_BOOT_START − PAGE_SIZE·(LAST_PKMAP+1)) &amp; PMD_MASK: all pkmap PTEs in one page-table page.</summary>
    public uint PkmapBase => (FixaddrBootStart - X86Layout.PageSize * (uint)(LastPkmap + 1)) & X86Layout.PmdMask;   // mutation-report: equivalent[Arithmetic -> LastPkmap - 1; Arithmetic -> X86Layout.PageSize / (uint)]: PMD_MASK rounds a start a few pages higher down to the same PMD boundary (FIXADDR_BOOT_START is far above it), so PKMAP_BASE does not change

    /// <summary>VMALLOC_END = PKMAP_BASE − 2·PAGE_SIZE (two guard pages).</summary>
    public uint VmallocEnd => PkmapBase - 2 * X86Layout.PageSize;   // mutation-report: equivalent[Arithmetic -> 2 / X86Layout.PageSize]: VMALLOC_END is read only by mem_init's and vmlist's bound checks, and every modelled arena ends far below it: without the two guard pages only those checks get weaker

    /// <summary>Directly mapped RAM: min(RAM, MAXMEM).</summary>
    public uint LowmemBytes => (uint)Math.Min(RamBytes, X86Layout.MaxMem);

    /// <summary>high_memory = PAGE_OFFSET + min(RAM, MAXMEM): the end of the direct map.</summary>
    public uint HighMemory => X86Layout.PageOffset + LowmemBytes;

    /// <summary>VMALLOC_START (2.6): high_memory + 2·VMALLOC_OFFSET − 1 rounded down to VMALLOC_OFFSET (an 8–16 MiB hole).</summary>
    public uint VmallocStart => (HighMemory + 2 * X86Layout.VmallocOffset - 1) & ~(X86Layout.VmallocOffset - 1);   // mutation-report: equivalent[Arithmetic -> 2 * X86Layout.VmallocOffset + 1]: a self-consistent layout: the arena 8 MiB higher when high_memory is 8 MiB aligned, the hole 16 MiB, still within spec §0's 8–16 MiB

    /// <summary>max_low_pfn: frames at or above it are highmem (PageHighMem).</summary>
    // Stryker disable once Bitwise : LowmemBytes is a uint, so >> and >>> are the same logical shift
    public int MaxLowPfn => (int)(LowmemBytes >> X86Layout.PageShift);

    /// <summary>Total frames of RAM.</summary>
    // Stryker disable once Bitwise : >> and >>> on the long differ only in bits 52-63, which the (int) cast drops
    public int TotalPages => (int)(RamBytes >> X86Layout.PageShift);

    /// <summary>PageHighMem(page): the frame is not in the direct map.</summary>
    public bool IsHighMem(int pfn) => pfn >= MaxLowPfn;

    /// <summary>__va(pfn &lt;&lt; PAGE_SHIFT) / lowmem_page_address: the direct-map address of a lowmem frame.</summary>
    public uint LowmemAddress(int pfn)
    {
        if (IsHighMem(pfn)) throw new ArgumentOutOfRangeException(nameof(pfn), $"pfn {pfn} is highmem: it has no direct-map address");
        return X86Layout.PageOffset + ((uint)pfn << X86Layout.PageShift);
    }

    /// <summary>True for an address of the direct map [PAGE_OFFSET, high_memory).</summary>
    public bool IsDirectMapped(uint va) => va >= X86Layout.PageOffset && va < HighMemory;   // mutation-report: equivalent[Equality -> va > X86Layout.PageOffset; Equality -> va <= HighMemory]: no address the model maps or reads is PAGE_OFFSET (pfn 0, which x86 reserves and never hands out) or high_memory (in the hole below VMALLOC_START)

    /// <summary>__pa for a direct-map address, as a frame number.</summary>
    // Stryker disable once Bitwise : the operand is a uint, so >> and >>> are the same logical shift
    public int DirectMapPfn(uint va) => (int)((va - X86Layout.PageOffset) >> X86Layout.PageShift);

    /// <summary>
    /// __fix_to_virt(x) = FIXADDR_TOP − (x &lt;&lt; PAGE_SHIFT): the generic (asm-generic/fixmap.h) top-down numbering
    /// every architecture has used since 5.11; unchecked, like the macro. With <see cref="FixmapGrowsUp"/>, xtensa's
    /// own numbering before 1eb0616c2df5: FIXADDR_START + (x &lt;&lt; PAGE_SHIFT), over the same pages.
    /// </summary>
    public uint FixToVirt(int index) => FixmapGrowsUp   // mutation-report: equivalent[Conditional (false)]: FixmapGrowsUp is set only by variant xtensa-fixmap-bottom-up; false is the correct numbering
        ? FixaddrStart + ((uint)(index + 1) << X86Layout.PageShift)   // mutation-report: variant-only: FixmapGrowsUp is set only by variant xtensa-fixmap-bottom-up
        : FixaddrTop - ((uint)index << X86Layout.PageShift);

    /// <summary>__virt_to_fix(va): the inverse of <see cref="FixToVirt"/> for any byte of a fixmap page.</summary>
    // Stryker disable once Bitwise : the operands are uints, so >> and >>> are the same logical shift
    public int VirtToFix(uint va) => FixmapGrowsUp   // mutation-report: equivalent[Conditional (false)]: FixmapGrowsUp is set only by variant xtensa-fixmap-bottom-up; false is the correct numbering
        ? (int)(((va & X86Layout.PageMask) - FixaddrStart) >> X86Layout.PageShift) - 1   // mutation-report: variant-only: FixmapGrowsUp is set only by variant xtensa-fixmap-bottom-up
        : (int)((FixaddrTop - (va & X86Layout.PageMask)) >> X86Layout.PageShift);

    /// <summary>The global fixmap index of window slot <paramref name="slot"/> of CPU <paramref name="cpu"/>: FIX_KMAP_BEGIN + k + W·c.</summary>
    public int KmapFixIndex(int cpu, int slot) => FixKmapBegin + slot + KmapWindow * cpu;

    /// <summary>The address of window slot <paramref name="slot"/> of CPU <paramref name="cpu"/>.</summary>
    public uint KmapAddress(int cpu, int slot) => FixToVirt(KmapFixIndex(cpu, slot));

    /// <summary>True when <paramref name="va"/> lies in [__fix_to_virt(FIX_KMAP_END), __fix_to_virt(FIX_KMAP_BEGIN)] (page-aligned).</summary>
    public bool IsKmapWindow(uint va)
    {
        var a = X86Layout.PageAlign(va);
        var (begin, end) = (FixToVirt(FixKmapBegin), FixToVirt(FixKmapEnd));
        return a >= Math.Min(begin, end) && a <= Math.Max(begin, end);
    }

    /// <summary>
    /// mem_init()'s boundary checks (arch/x86/mm/init_32.c, "Check boundaries twice"): the pkmap area ends below
    /// FIXADDR_START, VMALLOC_END is not above PKMAP_BASE, the vmalloc area is not empty and starts above high_memory.
    /// A layout that breaks one is the kernel's BUG at boot (<see cref="KernelBugException"/>); the model boots with it.
    /// </summary>
    public void CheckMemInitBoundaries()
    {
        static void BugOn(bool condition, string what)
        {
            if (condition) throw new KernelBugException($"kernel BUG at arch/x86/mm/init_32.c:mem_init: BUG_ON({what})");
        }

        BugOn(PkmapAddr(LastPkmap) > FixaddrStart, $"PKMAP_BASE + LAST_PKMAP*PAGE_SIZE (0x{PkmapAddr(LastPkmap):x8}) > FIXADDR_START (0x{FixaddrStart:x8})");
        BugOn(VmallocEnd > PkmapBase, $"VMALLOC_END (0x{VmallocEnd:x8}) > PKMAP_BASE (0x{PkmapBase:x8})");
        BugOn(VmallocStart >= VmallocEnd, $"VMALLOC_START (0x{VmallocStart:x8}) >= VMALLOC_END (0x{VmallocEnd:x8})");
        BugOn(HighMemory > VmallocStart, $"high_memory (0x{HighMemory:x8}) > VMALLOC_START (0x{VmallocStart:x8})");
    }

    /// <summary>LAST_PKMAP_MASK.</summary>
    public int LastPkmapMask => LastPkmap - 1;

    /// <summary>The virtual page number of PKMAP_BASE: the first page of the pkmap window.</summary>
    public long PkmapBaseVpn => X86Layout.Vpn(PkmapBase);

    /// <summary>True when <paramref name="va"/> lies in the pkmap window [PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP)) (strict upper bound, cf. H12).</summary>
    public bool IsPkmap(uint va) => va >= PkmapBase && va < PkmapAddr(LastPkmap);

    /// <summary>PKMAP_ADDR(nr) = PKMAP_BASE + (nr &lt;&lt; PAGE_SHIFT).</summary>
    public uint PkmapAddr(int nr) => PkmapBase + ((uint)nr << X86Layout.PageShift);

    /// <summary>PKMAP_NR(va) = (va − PKMAP_BASE) &gt;&gt; PAGE_SHIFT.</summary>
    // Stryker disable once Bitwise : the operand is a uint, so >> and >>> are the same logical shift
    public int PkmapNr(uint va) => (int)((va - PkmapBase) >> X86Layout.PageShift);

    /// <summary>
    /// Checks the layout's ordering (spec §0): every region strictly above the one below it. Returns the first
    /// violation, or null.
    /// </summary>
    public string? CheckOrdering()
    {
        if (NrCpus < 1 || KmapWindow < 1 || LastPkmap < 1) return "NR_CPUS, the kmap window and LAST_PKMAP must be positive";
        if (Math.Min(FixToVirt(0), FixToVirt(EndOfPermanentFixedAddresses - 1)) != FixaddrStart + X86Layout.PageSize) return "FIXADDR_START is not just below the last permanent fixmap";
        // Stryker disable once Equality : PKMAP_ADDR(LAST_PKMAP) = FIXADDR_BOOT_START - PAGE_SIZE - r (mod 2^32) with r < PMD_SIZE the bits PMD_MASK cleared, so it never equals FIXADDR_BOOT_START and > is >=
        if (PkmapAddr(LastPkmap) > FixaddrBootStart) return "the pkmap area overlaps the boot-time fixmaps";
        // Stryker disable once Equality : VMALLOC_START is a multiple of VMALLOC_OFFSET and VMALLOC_END = PKMAP_BASE - 2 pages is not a multiple of PMD_SIZE, so they are never equal and >= is >
        if (VmallocStart >= VmallocEnd) return "the vmalloc area is empty";
        if (VmallocStart < HighMemory + X86Layout.VmallocOffset) return "the hole after high_memory is smaller than VMALLOC_OFFSET";
        return null;
    }
}
