using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Tests.Temporary;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Memory;

/// <summary>
/// The data caches (a line per page, write-back) and the checked accesses through them. VIVT: a hit needs no
/// translation, two aliases of one frame are two lines, and only a flush makes one's data visible through another.
/// Aliasing VIPT: aliases of one colour share a line, of two colours do not, and flush_dcache_page cleans the frame's
/// own colour only.
/// </summary>
public sealed class DataCacheTests
{
    [Fact]
    public void A_store_stays_in_its_line_until_flushed_and_another_alias_reads_memory_meanwhile()
    {
        var memory = new PhysicalMemory(100, 2);
        var cache = new DataCache(memory);
        var old = memory.Read(100);
        cache.Store(vpn: 0x10, pfn: 100, value: 7);
        Assert.Equal(7, cache.Load(0x10, 100, 0));
        Assert.Equal(old, memory.Read(100));                 // write-back: memory has not seen it
        Assert.Equal(old, cache.Load(0x20, 100, 0));         // another alias of the frame: its own line, from memory
        Assert.Equal([(0x10L, 100)], cache.DirtyLines());
        cache.FlushPage(0x10);                               // __cpuc_flush_dcache_area of the first alias
        Assert.Equal(7, memory.Read(100));
        Assert.Null(cache.Lookup(0x10));
        Assert.Empty(cache.DirtyLines());
    }

    [Fact]
    public void A_hit_answers_for_the_virtual_address_whatever_it_maps_now_and_flush_all_empties_the_cache()
    {
        var memory = new PhysicalMemory(100, 2);
        var cache = new DataCache(memory);
        Assert.Equal(memory.Read(100, 1), cache.Load(0x10, 100, 1));
        Assert.Equal(memory.Read(100, 1), cache.Load(0x10, 101, 1));   // the line was filled from pfn 100
        cache.Store(0x11, 101, 9);
        cache.FlushAll();
        Assert.Null(cache.Lookup(0x10));
        Assert.Equal(9, memory.Read(101, 2));
    }

    [Fact]
    public void The_oracle_reads_and_writes_through_the_cpus_cache_and_names_the_dirty_alias_of_a_stale_read()
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = 4 }, VivtDataCaches = true });
        var (first, second) = (world.Windows.Address(0, 0), world.Windows.Address(0, 1));
        var pfn = world.HighPage(0);
        world.Tables.SetPteAt(first, pfn);
        world.Tables.SetPteAt(second, pfn);
        string? failure = null;
        OnCpu.Run(world, 0, () =>
        {
            var cpu = KernelTask.Current!.Cpu;
            world.Oracle.Write(cpu, first, 42, "writer");
            Assert.Equal(42, world.Oracle.Check(cpu, first, pfn, 42, "reader"));
            failure = Assert.ThrowsAny<Exception>(() => world.Oracle.Check(cpu, second, pfn, 42, "reader")).Message;
            world.Oracle.FlushDcacheArea(cpu, first);
            world.Oracle.FlushDcacheArea(cpu, second);
            Assert.Equal(42, world.Oracle.Check(cpu, second, pfn, 42, "reader"));
        });
        Assert.Equal($"AssertionFailure: corruption: reader on CPU0 read 0x{second:x8} expecting pfn {pfn} (0x0000002a) but found 0x{PageContent.Of(pfn):x8}, " +
                     $"memory's old content: CPU0's VIVT cache holds a dirty line of pfn {pfn} at 0x{first:x8}, another alias, not yet written back", failure);
        Assert.Equal(2, world.Oracle.Caches.Count);
        Assert.Empty(HighMemModel.Create(new HighMemConfig()).Oracle.Caches);
        world.Tables.PteClear(first);
        world.Tables.PteClear(second);
    }
    [Fact]
    public void An_aliasing_vipt_cache_shares_a_line_between_aliases_of_one_colour_only()
    {
        var memory = new PhysicalMemory(100, 2);
        var cache = new DataCache(memory, colours: 2);
        var old = memory.Read(100);
        cache.Store(vpn: 0x10, pfn: 100, value: 5);          // colour 0
        Assert.Equal(5, cache.Load(0x12, 100, 0));           // another address of colour 0: the same line
        Assert.Equal(old, cache.Load(0x11, 100, 0));         // colour 1: its own line, from memory
        Assert.Equal([(0L, 100), ], cache.DirtyLines());
        cache.FlushPage(0x11, 100);                          // the clean colour-1 line: nothing to write back
        Assert.Equal(old, memory.Read(100));
        cache.FlushPage(100, 100);                           // flush_dcache_page's colour: pfn 100 is colour 0
        Assert.Equal(5, memory.Read(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataCache(memory, colours: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataCache(memory, colours: 1));
    }

    [Fact]
    public void The_device_reads_memory_and_names_the_dirty_line_of_the_other_colour()
    {
        var world = HighMemModel.Create(new HighMemConcurrency.HighMem.HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = 4 }, DcacheColours = 2 });
        var pfn = world.HighPage(0);                                        // 229376: colour 0
        var va = world.Windows.Address(0, 0);
        var other = X86Layout.Vpn(va) % 2 == 0 ? world.Windows.Address(0, 1) : va;   // an address of colour 1
        world.Tables.SetPteAt(other, pfn);
        string? failure = null;
        OnCpu.Run(world, 0, () =>
        {
            var cpu = KernelTask.Current!.Cpu;
            world.Oracle.Write(cpu, other, 77, "driver");
            world.Oracle.FlushDcachePage(cpu, pfn);                        // the frame's own colour: misses the write
            failure = Assert.ThrowsAny<Exception>(() => world.Oracle.DeviceRead(pfn, 77, "dma")).Message;
            world.Oracle.FlushDcacheArea(cpu, other);
            world.Oracle.DeviceRead(pfn, 77, "dma");
        });
        Assert.Equal($"AssertionFailure: corruption: dma reads pfn {pfn} from memory expecting 0x0000004d but found 0x{PageContent.Of(pfn):x8}, " +
                     $"memory's old content: CPU0's cache holds a dirty line of pfn {pfn} in colour 1 (the frame's own colour is 0), not yet written back", failure);
        world.Tables.PteClear(other);
        Assert.Throws<ArgumentException>(() => HighMemModel.Create(new HighMemConcurrency.HighMem.HighMemConfig { VivtDataCaches = true, DcacheColours = 2 }));
    }
}
