using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// With the invariant checks switched off, the TLB variants are still caught — by the memory oracle: a CPU reads
/// another page's content through its stale translation. Wrong mappings are seen, not assumed.
/// </summary>
public sealed class CorruptionOracleTests
{
    private static Action WrapWhileReading(BugVariant? variant) => () =>
    {
        var model = HighMemModel.Create(2, 4, new PkmapOptions
        {
            LastPkmap = 2,
            HashBuckets = 2,
            Variant = variant,
            CheckInvariantsOnUnlock = false,
        });
        var pages = model.Memory.Pages;
        model.Machine.StartTasks("kmapd", 1, task =>
        {
            for (var op = 0; op < 3; op++)
            {
                var page = pages[(task * 2 + op) % pages.Count];
                var va = model.Pkmap.Kmap(page);
                model.Pkmap.ReadMapped(va, page);
                model.Pkmap.ReadMapped(va, page, 1);
                model.Pkmap.Kunmap(page);
            }
        });
        model.Machine.JoinAll();
    };

    [Theory]
    [InlineData("skip-tlb-flush")]
    [InlineData("drop-lock-around-flush")]
    public void StaleTranslation_IsReadAsAnotherPagesContent(string name)
    {
        var report = SystematicTest.Run(WrapWhileReading(VariantRegistry.Switch(name)), new TestOptions { Strategy = "pct", Iterations = 1000 });
        Assert.Equal(BugKind.AssertionFailure, report.Bug?.Kind);
        Assert.Matches(@"^corruption: \S+ on CPU\d read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found pfn \d+'s content \(another page\): a stale TLB entry of CPU\d still maps it", report.Bug!.Message);
    }

    [Theory, InlineData("random"), InlineData("pct")]
    public void CorrectModel_NeverReadsAWrongPage(string strategy)
    {
        var report = SystematicTest.Run(WrapWhileReading(null), new TestOptions { Strategy = strategy, Iterations = 1000 });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
    }
}
