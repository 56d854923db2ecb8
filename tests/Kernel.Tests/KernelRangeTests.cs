namespace HighMemConcurrency.Kernel.Tests;

/// <summary>One machine's TLBs over several kernel ranges, each with its own page walk behind one composite walk.</summary>
public sealed class KernelRangeTests
{
    private const long PkmapVpn = 0x100, FixmapVpn = 0x200;

    private static Machine TwoRanges(Dictionary<long, int> ptes)
    {
        var machine = new Machine(new MachineConfig { Cpus = 2 });
        machine.MapKernelRange("pkmap", PkmapVpn, 4, vpn => ptes.TryGetValue(vpn, out var pfn) ? pfn : null);
        machine.MapKernelRange("fixmap", FixmapVpn, 2, vpn => ptes.TryGetValue(vpn, out var pfn) ? pfn : null);
        return machine;
    }

    [Fact]
    public void Translate_WalksTheRangeHoldingTheAddress_AndCachesIt()
    {
        var ptes = new Dictionary<long, int> { [PkmapVpn + 1] = 7, [FixmapVpn] = 9 };
        var machine = TwoRanges(ptes);
        var cpu = machine.Cpus[0];
        Assert.Equal(7, cpu.Translate(PkmapVpn + 1));
        Assert.Equal(9, cpu.Translate(FixmapVpn));
        Assert.Null(cpu.Translate(FixmapVpn + 1));            // empty PTE: the access faults, nothing cached
        Assert.Null(machine.WalkPageTables(0x300));           // no range maps it
        ptes[PkmapVpn + 1] = 8;                               // the PTE changes; the TLB keeps the old translation
        Assert.Equal(7, cpu.Translate(PkmapVpn + 1));
        Assert.Equal([(PkmapVpn + 1, 7), (FixmapVpn, 9)], cpu.Tlb.Entries().ToArray());
        Assert.Empty(machine.Cpus[1].Tlb.Entries());
    }

    [Fact]
    public void FlushRange_DropsOnlyTheFlushedRange()
    {
        var machine = TwoRanges(new Dictionary<long, int> { [PkmapVpn] = 7, [FixmapVpn] = 9 });
        var tlb = machine.Cpus[0].Tlb;
        tlb.Fill(PkmapVpn, 7);
        tlb.Fill(FixmapVpn, 9);
        tlb.FlushRange(PkmapVpn, PkmapVpn + 4);
        Assert.Null(tlb.Lookup(PkmapVpn));
        Assert.Equal(9, tlb.Lookup(FixmapVpn));
        Assert.Equal(6, tlb.Pages);
    }

    [Fact]
    public void OverlappingRanges_AreRefused_AndUnmappedAddressesAreNotCached()
    {
        var machine = TwoRanges([]);
        var e = Assert.Throws<ArgumentException>(() => machine.MapKernelRange("vmalloc", FixmapVpn + 1, 4, _ => null));
        Assert.StartsWith("kernel range vmalloc [0x201, +4) overlaps fixmap", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => machine.Cpus[0].Tlb.Lookup(0x300));
    }
}
