using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.TemporaryMappings.Tests;

/// <summary>
/// <c>stack-overflow</c> nests one level deeper than KM_TYPE_NR on CPU0 in some schedules. The correct model's
/// answer is the debug build's BUG in kmap_atomic_idx_push (what the 2014 fix makes the kernel do); H2's
/// off-by-one check lets the same schedule write into CPU1's window instead (see <see cref="VariantTests"/>).
/// </summary>
public sealed class DepthOverflowTests
{
    [Fact]
    public void StackOverflow_SaysItNeedsAVariant() =>
        Assert.True(HighMemConcurrency.HighMem.Scenarios.Catalog.FindScenario("stack-overflow")!.NeedsVariant);

    [Theory]
    [InlineData("random", 1UL)]
    [InlineData("pct", 1UL)]
    [InlineData("pct", 2UL)]
    public void CorrectDepthCheck_StopsTheOverflowWithBug(string strategy, ulong seed)
    {
        var report = SystematicRuns.Run("stack-overflow", "none", strategy, seed, iterations: 1000);
        Assert.NotNull(report.Bug);
        Assert.Equal(BugKind.UnhandledException, report.Bug!.Kind);
        Assert.Contains("kernel BUG at kmap_atomic_idx_push: BUG_ON(idx >= KM_TYPE_NR): CPU0 pushes index 3 with KM_TYPE_NR = 3 (HardIrq context)", report.Bug.Message);
    }
}
