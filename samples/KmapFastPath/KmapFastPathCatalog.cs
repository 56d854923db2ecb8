using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;

namespace KmapFastPath;

/// <summary>
/// A proposal for kmap(): a fast path for a page that is already mapped, so that the common case skips kmap_high's
/// slot search. The proposal as first written, <c>unpinned-fast-path</c>, returns page_address() when it is set — a
/// lockless look-up that takes no reference, yet its caller kunmaps as after any kmap: that kunmap drops a reference
/// another CPU holds, which kunmap_high's BUG catches (or the holder reads through a slot a wrap flushed). The fixed
/// fast path pins the slot under kmap_lock with kmap_high_get() (ARCH_NEEDS_KMAP_HIGH_GET) before it trusts the address.
/// </summary>
public sealed class KmapFastPathCatalog : ICatalog
{
    /// <summary>The proposal as first written.</summary>
    public const string UnpinnedFastPath = "unpinned-fast-path";

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new TestBodyScenario("kmap-fast-path",
            "every CPU maps a shared page through the fast path, between private pages that force pkmap to wrap and flush",
            new ScenarioParameters { Cpus = 2, LastPkmap = 2, Pages = 3, OpsPerTask = 3 },
            ["cpus", "lastPkmap", "pages", "opsPerTask"], [UnpinnedFastPath], Iteration, ["kmap_fast.hit"]),
    ];

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants { get; } =
    [
        new(UnpinnedFastPath, "kmap_fast returns page_address() without taking a reference, and its kunmap drops one another CPU holds",
            BugKind.UnhandledException, "BUG (kunmap_high: a count dropped to 0)", ["kmap-fast-path"])
        {
            Switches = "KmapFast: page_address() instead of kmap_high_get()",
        },
    ];

    /// <summary>The proposed kmap() of a highmem page: the fast path for a mapped page, else kmap_high().</summary>
    public static uint KmapFast(Pkmap pkmap, PhysicalPage page, bool unpinned)
    {
        var vaddr = unpinned ? pkmap.PageAddress(page) : pkmap.KmapHighGet(page);
        if (vaddr != 0)
        {
            pkmap.Machine.Counters.Add("kmap_fast.hit");
            return vaddr;
        }
        return pkmap.KmapHigh(page);
    }

    private static Action Iteration(ScenarioParameters p) => () =>
    {
        var model = HighMemModel.Create(p.Cpus, p.Pages, new PkmapOptions
        {
            LastPkmap = p.LastPkmap,
            HashBuckets = 2,
            ArchNeedsKmapHighGet = true,
        });
        var pkmap = model.Pkmap;
        var pages = model.Memory.Pages;
        var unpinned = p.Variant == UnpinnedFastPath;
        model.Machine.StartTasks("kmapd", 1, task =>
        {
            for (var op = 0; op < p.OpsPerTask; op++)
            {
                var page = op % 2 == 0 ? pages[0] : pages[1 + (task + op / 2) % (pages.Count - 1)];
                var vaddr = KmapFast(pkmap, page, unpinned);
                pkmap.ReadMapped(vaddr, page);
                pkmap.KunmapHigh(page);
            }
        });
        model.Machine.JoinAll();
        model.Machine.CheckQuiescent();   // the kernel's checks and pkmap's own (P1–P7, the counts, stray PTEs)
    };
}
