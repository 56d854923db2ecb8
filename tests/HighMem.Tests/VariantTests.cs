using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// Every bug variant is found in its scenario by its strategy within 1,000 iterations for seeds 1–5, with the
/// expected bug kind and class, and its trace replays to the same bug.
/// </summary>
public sealed class VariantTests
{
    private const int Budget = 1000;

    /// <summary>What each variant's message must say (regular expressions): the class of the bug in the model's words.</summary>
    private static readonly Dictionary<string, string[]> ExpectedText = new()
    {
        [VariantNames.EnqueueAfterUnlock] = ["lost wakeup", "pkmap_map_wait"],
        [VariantNames.WakeCheckOutsideLock] = ["lost wakeup", "pkmap_map_wait"],
        [VariantNames.WakeOnZero] = ["lost wakeup", "pkmap_map_wait"],
        [VariantNames.NoRecheckAfterWake] = ["invariant P2 violated", "has 2 entries"],
        [VariantNames.NoBudgetReset] = ["invariant P8 violated", "goes to sleep on pkmap_map_wait although"],
        [VariantNames.SkipTlbFlush] = ["invariant P7 violated", "TLB"],
        [VariantNames.DropLockAroundFlush] = ["invariant P7 violated", "TLB"],
        [VariantNames.IrqOffLockIpiFlush] = ["flush_tlb_kernel_range", "has IRQs disabled and cannot take the IPI"],
        [VariantNames.UnpinnedPageAddress] = [@"^(corruption: \S+ \(HardIrq\) on CPU\d read 0x[0-9a-f]{8} expecting pfn \d+ .* but found pfn \d+'s content \(another page\)|oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: \S+ \(HardIrq\) on CPU\d)"],
        [VariantNames.SetPageAddressUnlocked] = ["invariant P2 violated", "has 0 entries"],
        [VariantNames.DoubleKunmap] = ["kernel BUG at mm/highmem.c:kunmap_high"],
        [VariantNames.KmapFromIrq] = ["BUG: sleeping function called from invalid context at kmap", "context: HardIrq"],
        [VariantNames.NestedKmap] = [@"pool exhaustion \(H9\)", "every pkmap slot has count ≥ 2"],
    };

    public static TheoryData<string, ulong> VariantsAndSeeds()
    {
        var data = new TheoryData<string, ulong>();
        foreach (var v in PkmapCatalog.Variants)
            for (ulong seed = 1; seed <= 5; seed++) data.Add(v.Name, seed);
        return data;
    }

    [Theory, MemberData(nameof(VariantsAndSeeds))]
    public void Variant_IsFoundWithItsBugClass_AndReplays(string variant, ulong seed)
    {
        var v = Catalog.FindVariant(variant)!;
        var s = Catalog.FindScenario(v.Scenarios[0])!;
        var parameters = s.Defaults with { Variant = variant };
        var test = s.CreateTest(parameters);
        var report = SystematicTest.Run(test, new TestOptions
        {
            Strategy = v.Strategy,
            Seed = seed,
            Iterations = Budget,
            TestName = s.Name,
            Parameters = parameters.ToDictionary(),
        });

        Assert.True(report.Bug is not null, $"{variant} not found in {Budget} iterations: {report}");
        var bug = report.Bug!;
        Assert.Equal(v.ExpectedKind, bug.Kind);
        foreach (var pattern in ExpectedText[variant]) Assert.Matches(pattern, bug.Message);

        var replay = SystematicTest.Replay(s.CreateTest(ScenarioParameters.FromDictionary(parameters.ToDictionary())), bug.TraceJson);
        Assert.NotNull(replay.Bug);
        Assert.Equal(bug.Kind, replay.Bug!.Kind);
        Assert.Equal(bug.Message, replay.Bug.Message);
    }

    [Fact]
    public void EveryVariantHasExpectedText() =>
        Assert.All(PkmapCatalog.Variants, v => Assert.True(ExpectedText.ContainsKey(v.Name), v.Name));
}
