using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Tests.Edges;

/// <summary>
/// vmalloc-edges' driver takes the arena to its edges in every interleaving: its areas land exactly where first fit
/// must put them — across holes, aligned for ioremap past free pages, at the arena's end — and get_vm_area and the
/// page allocator refuse it where nothing fits, each refusal handled by the caller; it reads through its ioremap
/// mappings, and every page it mapped is unmapped again (vfree, vunmap, iounmap).
/// </summary>
public sealed class VmallocEdgesTests
{
    private const string Scenario = "vmalloc-edges";
    private const string Refused = "allocation failed: out of vmalloc space";
    private static readonly AddressLayout Layout = new() { NrCpus = 2 };
    private static readonly int Device = Layout.TotalPages + 16;   // the driver's device frames, above RAM

    private static uint Va(int page) => Layout.VmallocStart + (uint)page * X86Layout.PageSize;

    private static string Area(int first, int end, string flags, int owner) => $"get_vm_area: [0x{Va(first):x8}, 0x{Va(end):x8}) {flags} owner {owner}";

    /// <summary>What one pass must say, in order: the model's placements and refusals, and the driver's handling of each NULL.</summary>
    private static IEnumerable<string> Pass(int pass)
    {
        var o = pass % 2 * 16;
        return
        [
            Area(0, 2, "VM_ALLOC", o + 1),                              // the list is empty: after the scan
            Area(2, 4, "VM_MAP", o + 2),
            Area(8, 13, "VM_IOREMAP", o + 3),                           // aligned to 8 pages, passing [2,4) whole
            Area(4, 7, "VM_ALLOC", o + 4),                              // the hole between two areas
            Refused, "driver: ioremap(8 KiB) = NULL: the probe fails",  // 3 pages free at 13, none 4-page aligned
            Area(13, 16, "VM_ALLOC", o + 6),                            // ends at the arena's end
            Refused, "driver: ioremap(4 KiB) = NULL: the probe fails",  // [13,16) straddles the aligned 14: after the scan
            Refused, "driver: vmalloc(1 page) = NULL: -ENOMEM",         // page 7 alone: too small with its guard
            Refused, "driver: vmap(1 page) = NULL: the caller frees its page",
            Area(0, 2, "VM_ALLOC", o + 10),                             // [0,2) again, up against [2,4): an exact fit
            "driver: ioremap(0 KiB) = NULL: the probe fails",           // size 0: NULL before vmlist is touched
            Area(8, 11, "VM_IOREMAP", o + 12),                          // across [0,2) (too small) and 7 (unaligned)
            Area(0, 4, "VM_ALLOC", o + 13),                             // an exact fit, then the pool runs dry:
            "driver: vmalloc(3 pages) = NULL: -ENOMEM",                 // vmalloc gives the area back
        ];
    }

    [Theory, MemberData(nameof(WorkloadRun.Schedules), MemberType = typeof(WorkloadRun))]
    public void EveryPass_PlacesAndRefusesAtTheEdges(string strategy, ulong seed)
    {
        var notes = WorkloadRun.Notes(Scenario, strategy, seed)
            .Where(n => n.StartsWith("get_vm_area: ", StringComparison.Ordinal) || n == Refused || n.StartsWith("driver: ", StringComparison.Ordinal));
        var passes = SystematicRuns.Scenario(Scenario).Defaults.OpsPerTask;
        Assert.Equal(Enumerable.Range(0, passes).SelectMany(Pass), notes);
    }

    [Theory, MemberData(nameof(WorkloadRun.Schedules), MemberType = typeof(WorkloadRun))]
    public void EveryPass_ReadsThroughItsIoremapMappings_AndUnmapsEveryPageItMapped(string strategy, ulong seed)
    {
        var steps = WorkloadRun.Steps(Scenario, strategy, seed);
        var passes = SystematicRuns.Scenario(Scenario).Defaults.OpsPerTask;
        var notes = steps.SelectMany(s => s.Notes).ToList();
        // The 16 KiB register window [8,12) shows device frames 0-3, the 8 KiB one mapped later at [8,10) frames 8-9.
        foreach (var (page, frame) in new[] { (8, 0), (9, 1), (10, 2), (11, 3), (8, 8), (9, 9) })
            Assert.Equal(passes, notes.Count(n => n.StartsWith($"CPU0 reads 0x{Va(page):x8} → pfn {Device + frame} ", StringComparison.Ordinal)));
        // Each mapped page's PTE is cleared once per mapping: vfree of [0,2) (twice), [4,7) and [13,16), vunmap of
        // [2,4), iounmap of [8,13) and [8,11). The refused and given-back areas never had a PTE.
        var cleared = steps.Select(s => s.Operation).Where(o => o.StartsWith("pte_clear vmalloc ", StringComparison.Ordinal))
            .GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        var expected = new[] { 0, 2, 4, 5, 8, 9, 10, 11, 13, 14 }
            .ToDictionary(p => $"pte_clear vmalloc 0x{Va(p):x8}", p => passes * (p is 0 or 8 or 9 ? 2 : 1));
        Assert.Equal(expected.OrderBy(e => e.Key), cleared.OrderBy(e => e.Key));
    }
}
