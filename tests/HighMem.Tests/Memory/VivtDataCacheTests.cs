using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Tests.Temporary;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Memory;

/// <summary>
/// The VIVT data cache (one line per virtual page, write-back) and the checked read and write through it: a hit needs
/// no translation, two aliases of one frame are two lines, and only a flush makes one's data visible through another.
/// </summary>
public sealed class VivtDataCacheTests
{
    [Fact]
    public void A_store_stays_in_its_line_until_flushed_and_another_alias_reads_memory_meanwhile()
    {
        var memory = new PhysicalMemory(100, 2);
        var cache = new VivtDataCache(memory);
        var old = memory.Read(100);
        cache.Store(vpn: 0x10, pfn: 100, value: 7);
        Assert.Equal(7, cache.Load(0x10, 100, 0));
        Assert.Equal(old, memory.Read(100));                 // write-back: memory has not seen it
        Assert.Equal(old, cache.Load(0x20, 100, 0));         // another alias of the frame: its own line, from memory
        Assert.Equal([(0x10L, 100)], cache.DirtyLines());
        cache.FlushRange(0x10, 0x11);                        // __cpuc_flush_dcache_area of the first alias
        Assert.Equal(7, memory.Read(100));
        Assert.Null(cache.Lookup(0x10));
        Assert.Empty(cache.DirtyLines());
    }

    [Fact]
    public void A_hit_answers_for_the_virtual_address_whatever_it_maps_now_and_flush_all_empties_the_cache()
    {
        var memory = new PhysicalMemory(100, 2);
        var cache = new VivtDataCache(memory);
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
            world.Oracle.FlushDcachePage(cpu, first);
            world.Oracle.FlushDcachePage(cpu, second);
            Assert.Equal(42, world.Oracle.Check(cpu, second, pfn, 42, "reader"));
        });
        Assert.Equal($"AssertionFailure: corruption: reader on CPU0 read 0x{second:x8} expecting pfn {pfn} (0x0000002a) but found 0x{PageContent.Of(pfn):x8}, " +
                     $"memory's old content: CPU0's VIVT cache holds a dirty line of pfn {pfn} at 0x{first:x8}, another alias, not yet written back", failure);
        Assert.Equal(2, world.Oracle.Caches.Count);
        Assert.Empty(HighMemModel.Create(new HighMemConfig()).Oracle.Caches);
        world.Tables.PteClear(first);
        world.Tables.PteClear(second);
    }
}
