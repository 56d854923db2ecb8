using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Tests.Edges;

/// <summary>
/// The temporary mappings reach their deepest legal slot in every interleaving and never go beyond: stack-depth's
/// tasks take the last slot of their KM_TYPE_NR = 4 window with a lowmem page mapped on top of the full stack (which
/// takes no slot), and local-handoff's consumer reaches idx KM_MAX_IDX − 1 = 3 (slot 2; push's check after the
/// increment leaves the window's top slot unused), with a lowmem page mapped on top of that full stack too.
/// </summary>
public sealed class DepthEdgeTests
{
    private static readonly AddressLayout Stack = new() { NrCpus = 2, KmapWindow = 4 };
    private static readonly AddressLayout Local = new() { NrCpus = 2, KmapWindow = 4 };

    /// <summary>Once per operation: the deepest mapping, then the lowmem read made while it is held.</summary>
    private static IEnumerable<string> Alternating(string deepest, string lowmem, int ops) =>
        Enumerable.Repeat<string[]>([deepest, lowmem], ops).SelectMany(pair => pair);

    [Theory, MemberData(nameof(WorkloadRun.Schedules), MemberType = typeof(WorkloadRun))]
    public void StackDepth_EveryTaskTakesTheWindowsLastSlot_WithALowmemPageOnTop(string strategy, ulong seed)
    {
        var notes = WorkloadRun.Notes("stack-depth", strategy, seed);
        var ops = SystematicRuns.Scenario("stack-depth").Defaults.OpsPerTask;
        foreach (var cpu in new[] { 0, 1 })
        {
            // The task's fourth page (frame cpu·8 + 3) goes into slot 3, then the lowmem frame is read through the
            // direct map while that slot is still held (IRQs are off: nothing else runs on the CPU meanwhile).
            var last = $"CPU{cpu} kmap_atomic(pfn {Stack.MaxLowPfn + cpu * 8 + 3}) = 0x{Stack.KmapAddress(cpu, 3):x8} (slot 3)";
            var lowmem = $"CPU{cpu} reads 0x{Stack.LowmemAddress(0x1000 + cpu):x8} → pfn {0x1000 + cpu} (direct map)";
            Assert.Equal(Alternating(last, lowmem, ops), notes.Where(n => n == last || n == lowmem));
        }
        Assert.DoesNotContain(notes, n => n.Contains("(slot 4)", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(WorkloadRun.Schedules), MemberType = typeof(WorkloadRun))]
    public void LocalHandoff_TheConsumerReachesTheDeepestSlotItsStackAllows(string strategy, ulong seed)
    {
        var notes = WorkloadRun.Notes("local-handoff", strategy, seed);
        var ops = SystematicRuns.Scenario("local-handoff").Defaults.OpsPerTask;
        // Its second buffer (the frame after the handed pages and the first buffer) under kmap_atomic, on top of the
        // handed page and the first buffer.
        var deepest = $"consumer kmap_local(pfn {Local.MaxLowPfn + ops + 1}) = 0x{Local.KmapAddress(1, 2):x8} (slot 2, CPU1)";
        var lowmem = $"CPU1 reads 0x{Local.LowmemAddress(0x1000):x8} → pfn {0x1000} (direct map)";
        Assert.Equal(Alternating(deepest, lowmem, ops), notes.Where(n => n == deepest || n == lowmem));
        Assert.DoesNotContain(notes, n => n.Contains("(slot 3,", StringComparison.Ordinal));
    }
}
