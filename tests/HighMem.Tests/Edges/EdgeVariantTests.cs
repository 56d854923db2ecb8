using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Tests.Edges;

/// <summary>
/// The variants the edge scenarios accept besides their own hunts' scenarios genuinely apply there: each is found
/// in them, with its expected kind, within 1,000 PCT iterations for seeds 1–3.
/// </summary>
public sealed class EdgeVariantTests
{
    public static TheoryData<string, string> VariantsAndScenarios() => new()
    {
        { VmallocVariants.VmlistUnlockedInsert.Name, "vmalloc-edges" },
        { VmallocVariants.VfreePagesBeforeFlush.Name, "vmalloc-edges" },
        { AtomicVariants.PopBeforeClear.Name, "stack-depth" },
    };

    [Theory, MemberData(nameof(VariantsAndScenarios))]
    public void Variant_IsFoundInTheEdgeScenario(string variant, string scenario)
    {
        var v = VariantRegistry.Find(variant)!;
        Assert.Contains(scenario, v.AppliesTo);
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var report = SystematicRuns.Run(scenario, variant, "pct", seed, iterations: 1000);
            Assert.True(report.Bug?.Kind == v.ExpectedKind, $"seed {seed}: {report.Bug?.ToString() ?? "not found"}");
        }
    }
}
