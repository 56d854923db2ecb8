using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// <c>stack-overflow</c> nests one level deeper than KM_TYPE_NR on CPU0 in some schedules. The correct model's
/// answer is the debug build's BUG in kmap_atomic_idx_push (what the 2014 fix makes the kernel do); H2's
/// off-by-one check lets the same schedule write into CPU1's window instead (see <see cref="VariantTests"/>).
/// </summary>
public sealed class DepthOverflowTests
{
    /// <summary>
    /// What "needs a variant" means, checked rather than read back: the scenarios left out of correct-model runs are
    /// exactly those on which the correct model answers with the kernel's BUG, and stack-overflow is one of them.
    /// </summary>
    [Fact]
    public void The_scenarios_that_need_a_variant_are_those_the_correct_model_answers_with_BUG()
    {
        var needing = HighMemConcurrency.HighMem.Scenarios.Catalog.Scenarios.Where(s => s.NeedsVariant).Select(s => s.Name).ToList();
        Assert.Contains("stack-overflow", needing);
        Assert.All(needing, name =>
        {
            var report = SystematicRuns.Run(name, "none", "pct", 1, iterations: 1000);
            Assert.True(report.Bug is { Kind: BugKind.UnhandledException }, $"{name}: {report.Bug?.Kind.ToString() ?? "clean"}");
            Assert.Contains("kernel BUG at ", report.Bug!.Message);
        });
    }

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
