using HighMemConcurrency.Systematic;
using HighMemConcurrency.Xunit;
using Xunit.Abstractions;

namespace KmapFastPath.Tests;

/// <summary>The fast path under the controlled scheduler, from a test suite: the pinned one is clean, the unpinned one is caught.</summary>
public sealed class KmapFastPathTests(ITestOutputHelper output)
{
    private XunitCampaignOptions Options => new() { Output = output };

    [Fact]
    public void The_pinned_fast_path_survives_every_schedule_tried() =>
        CampaignAssert.NoBug(new KmapFastPathCatalog(), new() { Scenario = "kmap-fast-path", Iterations = 2000, Seed = 1 }, Options);

    [Fact]
    public void The_unpinned_fast_path_drops_a_reference_it_never_took()
    {
        var job = CampaignAssert.FindsBug(new KmapFastPathCatalog(),
            new() { Variant = KmapFastPathCatalog.UnpinnedFastPath, Iterations = 2000, Seed = 1 }, Options);

        Assert.Equal(BugKind.UnhandledException, job.Bug!.Kind);
        Assert.Contains("kernel BUG at mm/highmem.c:kunmap_high", job.Bug.Message);
        Assert.True(File.Exists(job.TracePath), job.TracePath);
    }
}
