using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>The x86-32 address arithmetic of spec §0.</summary>
public sealed class LayoutTests
{
    [Theory]
    [InlineData(0, 0xFFFFF000u)]
    [InlineData(1, 0xFFFFE000u)]
    [InlineData(4, 0xFFFFB000u)]
    [InlineData(0x10, 0xFFFEF000u)]
    [InlineData(1023, 0xFFC00000u)]
    public void FixToVirt_CountsPagesDownFromFixaddrTop(int index, uint expected)
    {
        var layout = new AddressLayout();
        Assert.Equal(expected, layout.FixToVirt(index));
        Assert.Equal(index, layout.VirtToFix(expected));
        Assert.Equal(index, layout.VirtToFix(expected + 0x123));   // any offset within the page
    }

    [Fact]
    public void Constants_MatchTheThreeGigSplit()
    {
        Assert.Equal(0xC0000000u, X86Layout.PageOffset);
        Assert.Equal(896u << 20, X86Layout.MaxMem);
        Assert.Equal(0xFFFFF000u, X86Layout.FixaddrTop);
        Assert.Equal(8u << 20, X86Layout.VmallocOffset);
    }

    [Fact]
    public void OneGigMachine_HasAn896MegDirectMapAndAnAlignedVmallocStart()
    {
        var layout = new AddressLayout { RamBytes = 1L << 30 };
        Assert.Equal(0xF8000000u, layout.HighMemory);             // PAGE_OFFSET + 896 MiB
        Assert.Equal(0xF8800000u, layout.VmallocStart);           // an 8 MiB hole, 8 MiB aligned
        Assert.Equal(0x38000, layout.MaxLowPfn);
        Assert.True(layout.IsHighMem(0x38000));
        Assert.False(layout.IsHighMem(0x37FFF));
        Assert.Equal(0xC0001000u, layout.LowmemAddress(1));
    }

    [Fact]
    public void SmallMachine_HasNoHighmemAndAHoleOfUpTo16Meg()
    {
        var layout = new AddressLayout { RamBytes = 100L << 20 };
        Assert.Equal(0xC6400000u, layout.HighMemory);
        Assert.Equal(0xC7000000u, layout.VmallocStart);
        Assert.InRange(layout.VmallocStart - layout.HighMemory, X86Layout.VmallocOffset, 2 * X86Layout.VmallocOffset);
        Assert.Null(layout.CheckOrdering());
    }

    [Theory]
    [InlineData(1, 13)]
    [InlineData(2, 13)]
    [InlineData(2, 16)]
    [InlineData(4, 4)]
    [InlineData(8, 16)]
    public void FixKmapEnd_IsBeginPlusWindowTimesCpusMinusOne(int cpus, int window)
    {
        var layout = new AddressLayout { NrCpus = cpus, KmapWindow = window };
        Assert.Equal(layout.FixKmapBegin + window * cpus - 1, layout.FixKmapEnd);
        Assert.Equal(layout.FixKmapEnd, layout.KmapFixIndex(cpus - 1, window - 1));
        Assert.Null(layout.CheckOrdering());
    }

    [Theory]
    [InlineData(1, 13)]
    [InlineData(2, 16)]
    [InlineData(3, 4)]
    [InlineData(8, 16)]
    public void Windows_AreDisjointForEveryCpuAndType(int cpus, int window)
    {
        var layout = new AddressLayout { NrCpus = cpus, KmapWindow = window };
        var seen = new Dictionary<uint, (int, int)>();
        for (var c = 0; c < cpus; c++)
            for (var k = 0; k < window; k++)
            {
                var va = layout.KmapAddress(c, k);
                Assert.True(seen.TryAdd(va, (c, k)), $"(CPU{c}, slot {k}) shares 0x{va:x8} with {seen.GetValueOrDefault(va)}");
                Assert.True(layout.IsKmapWindow(va));
                Assert.True(va >= layout.FixaddrStart && va <= X86Layout.FixaddrTop);
                Assert.Equal(layout.KmapFixIndex(c, k), layout.VirtToFix(va));
            }
        Assert.Equal(cpus * window, seen.Count);
        Assert.False(layout.IsKmapWindow(layout.FixToVirt(layout.FixKmapBegin - 1)));
        Assert.False(layout.IsKmapWindow(layout.FixToVirt(layout.FixKmapEnd + 1)));
    }

    [Fact]
    public void OffByOneIndex_IsTheNextCpusFirstSlot()
    {
        // H2: index KM_TYPE_NR on CPU c is CPU c+1's slot 0.
        var layout = new AddressLayout { NrCpus = 2, KmapWindow = 3 };
        Assert.Equal(layout.KmapAddress(1, 0), layout.FixToVirt(layout.FixKmapBegin + 3 + 3 * 0));
    }

    [Fact]
    public void PkmapArea_IsPmdAlignedBelowTheBootFixmapsAndAboveVmalloc()
    {
        var layout = new AddressLayout { NrCpus = 2, KmapWindow = 13, LastPkmap = 1024 };
        Assert.Equal(0u, layout.PkmapBase % X86Layout.PmdSize);
        Assert.True(layout.PkmapAddr(1024) <= layout.FixaddrBootStart);
        Assert.Equal(layout.PkmapBase - 2 * X86Layout.PageSize, layout.VmallocEnd);
        Assert.Equal(5, layout.PkmapNr(layout.PkmapAddr(5)));
        Assert.True(layout.FixaddrBootStart < layout.FixaddrStart);
        Assert.Equal(layout.FixToVirt(layout.EndOfPermanentFixedAddresses - 1) - X86Layout.PageSize, layout.FixaddrStart);
        Assert.Null(layout.CheckOrdering());
    }
}

/// <summary>Known answers of the default x86-32 layout (2 CPUs, 13-slot windows, LAST_PKMAP 1024, 1 GiB), worked out by hand from spec §0.</summary>
public sealed class DefaultLayoutTests
{
    private static readonly AddressLayout L = new();

    [Fact]
    public void FixmapAndPkmapBoundaries()
    {
        Assert.Equal(29, L.FixKmapEnd);                        // 4 + 13·2 − 1
        Assert.Equal(32, L.EndOfPermanentFixedAddresses);      // + 1 + 2
        Assert.Equal(0xFFFDF000u, L.FixaddrStart);             // 0xFFFFF000 − 32 pages
        Assert.Equal(0xFFF9F000u, L.FixaddrBootStart);         // − 64 more
        Assert.Equal(0xFF800000u, L.PkmapBase);                // (0xFFF9F000 − 1025 pages) & PMD_MASK
        Assert.Equal(0xFF7FE000u, L.VmallocEnd);
        Assert.Equal(1023, L.PkmapNr(L.PkmapAddr(1023) + 0xFFF));
        Assert.Equal(0x40000, L.TotalPages);
    }

    [Fact]
    public void DirectMap_IsHalfOpen()
    {
        Assert.True(L.IsDirectMapped(0xC0000000u));
        Assert.False(L.IsDirectMapped(0xBFFFFFFFu));
        Assert.True(L.IsDirectMapped(0xF7FFFFFFu));
        Assert.False(L.IsDirectMapped(0xF8000000u));           // high_memory
        Assert.Equal(5, L.DirectMapPfn(0xC0005FFFu));
        Assert.Throws<ArgumentOutOfRangeException>(() => L.LowmemAddress(0x38000));
    }

    [Theory]
    [InlineData(0, 13, 1024)]
    [InlineData(2, 0, 1024)]
    [InlineData(2, 13, 0)]
    public void CheckOrdering_RefusesNonPositiveSizes(int cpus, int window, int lastPkmap)
    {
        Assert.Equal("NR_CPUS, the kmap window and LAST_PKMAP must be positive",
            new AddressLayout { NrCpus = cpus, KmapWindow = window, LastPkmap = lastPkmap }.CheckOrdering());
        Assert.Null(new AddressLayout { NrCpus = 1, KmapWindow = 1, LastPkmap = 1 }.CheckOrdering());
    }

    [Fact]
    public void PkmapBase_LeavesLastPkmapPlusOnePagesBelowTheBootFixmaps()
    {
        // 32 permanent + 987 boot fixmaps: FIXADDR_BOOT_START = 0xFFFFF000 − 1019 pages = 0xFFC04000. With LAST_PKMAP 4,
        // 5 pages below it is 0xFFBFF000, so PKMAP_BASE rounds down to 0xFF800000 (a PMD below the 0xFFC00000 it would
        // be with fewer pages reserved), and the window ends well below the boot fixmaps.
        var layout = new AddressLayout { BootFixmaps = 987, LastPkmap = 4 };
        Assert.Equal(0xFFC04000u, layout.FixaddrBootStart);
        Assert.Equal(0xFF800000u, layout.PkmapBase);
        Assert.Equal(0xFF804000u, layout.PkmapAddr(4));
        Assert.Equal(3, layout.LastPkmapMask);
        Assert.Null(layout.CheckOrdering());
    }

    [Fact]
    public void BootFixmapsDownToTheDirectMapsHole_LeaveNoVmallocArea()
    {
        // 0x7739 boot fixmaps: FIXADDR_BOOT_START = 0xFFFFF000 − (32 + 0x7739 = 0x7759) pages = 0xF88A6000; PKMAP_BASE =
        // (0xF88A6000 − 1025 pages) & PMD_MASK = 0xF8400000, VMALLOC_END = 0xF83FE000 — below VMALLOC_START 0xF8800000.
        var layout = new AddressLayout { BootFixmaps = 0x7739 };
        Assert.Equal(0xF8400000u, layout.PkmapBase);
        Assert.Equal(0xF83FE000u, layout.VmallocEnd);
        Assert.Equal("the vmalloc area is empty", layout.CheckOrdering());
    }
    [Fact]
    public void XtensasBottomUpNumbering_CoversTheSamePagesInReverse()
    {
        // 2 CPUs × 13 + 4 + 2 = 32 permanent fixmaps: FIXADDR_START = 0xFFFFF000 − 32 pages = 0xFFFDF000.
        var down = new AddressLayout();
        var up = new AddressLayout { Arch = KernelArch.Xtensa, FixmapGrowsUp = true };
        Assert.Equal(0xFFFDF000u, up.FixaddrStart);
        Assert.Equal(0xFFFE0000u, up.FixToVirt(0));   // FIXADDR_START + PAGE_SIZE: the lowest page
        Assert.Equal(0xFFFFF000u, up.FixToVirt(31));
        for (var x = 0; x < 32; x++)
        {
            Assert.Equal(down.FixToVirt(31 - x), up.FixToVirt(x));
            Assert.Equal(x, up.VirtToFix(up.FixToVirt(x) + 0x123));
        }
        Assert.True(up.IsKmapWindow(up.KmapAddress(1, 12)) && up.IsKmapWindow(up.KmapAddress(0, 0)));
        Assert.False(up.IsKmapWindow(up.FixToVirt(up.FixKmapBegin - 1)) || up.IsKmapWindow(up.FixToVirt(up.FixKmapEnd + 1)));
        Assert.Null(up.CheckOrdering());
    }

    [Theory]
    [InlineData(KernelArch.X86, true)]
    [InlineData(KernelArch.Xtensa, false)]   // its empty PTE is _PAGE_CA_INVALID | _PAGE_USER (66f133ceab74)
    public void AZeroPte_IsPteNoneExceptOnXtensa(KernelArch arch, bool none) =>
        Assert.Equal(none, new AddressLayout { Arch = arch }.ZeroPteIsNone);
    [Fact]
    public void ArmsFixaddrTop_AndPteTables_AreItsOwn()
    {
        var arm = new AddressLayout { Arch = KernelArch.Arm, FixmapsBeforeKmap = 1 };
        Assert.Equal(0xFFEFF000u, arm.FixaddrTop);   // FIXADDR_END 0xFFF00000 − PAGE_SIZE
        Assert.Equal(0xFFEFE000u, arm.FixToVirt(arm.FixKmapBegin));
        Assert.Equal(2u << 20, arm.PteTableSpan);
        Assert.Equal(4u << 20, new AddressLayout().PteTableSpan);
        Assert.True(arm.ZeroPteIsNone);
        Assert.Null(arm.CheckOrdering());
    }
}
