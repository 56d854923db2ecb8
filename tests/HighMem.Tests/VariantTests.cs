using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Temporary;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// Every bug variant of the one catalog — permanent, temporary and vmalloc — is found in its first scenario by its
/// strategy within 1,000 iterations for seeds 1–5, with its expected kind and a message of its class, and its trace
/// replays to the same kind and message.
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
        [TemporaryVariants.AtomicAcrossSleep] = [@"BUG: scheduling while atomic: user/\d\.\d/CPU\d, preempt_count 1"],
        [TemporaryVariants.AtomicNoPreemptDisable] = [@"kernel BUG at kmap_atomic: BUG_ON\(!pte_none\(\*\(kmap_pte-\d+\)\)\): KM_USER0 on CPU\d .* still maps pfn"],
        [TemporaryVariants.IrqTypeWithIrqsOn] = [@"^corruption: bio on CPU\d read 0x[0-9a-f]{8} expecting pfn \d+ .* but found pfn \d+'s content \(another page\)"],
        [TemporaryVariants.PopBeforeClear] = [@"kernel BUG at kmap_atomic: BUG_ON\(!pte_none"],
        [TemporaryVariants.DepthOffByOne] = [@"^invariant 17 violated: stack slot 3 on CPU0 is outside its 3-slot window: fixmap index \d+ is slot 0 of CPU1.s window"],
        [TemporaryVariants.KunmapOutOfOrder] = [@"^(oops: unable to handle kernel paging request|corruption: ).*"],
        [TemporaryVariants.LocalNoMigrateDisable] = [@"^(invariant L2 violated at sched_in: user/\d\.\d holds \d kmap_local mapping\(s\) made on CPU\d but runs on CPU\d|oops: |corruption: |invariant 12 violated: )"],
        [TemporaryVariants.LocalNoPreemptDisable] = [@"^(WARNING: __kmap_local_sched_out|invariant L1 violated)"],
        [TemporaryVariants.SchedOutTouchesIdx] = [@"^WARNING: __kmap_local_sched_in: .*pteval\[0\] is empty"],
        [TemporaryVariants.LocalAddressShared] = [@"^(oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: consumer|corruption: consumer|invariant 12 violated: consumer on CPU1 accesses 0x[0-9a-f]{8}, slot \d of CPU0)"],
        [TemporaryVariants.VmlistUnlockedInsert] = [@"^data race on var 'vmlist': (Read|Write) by T\d 'vm/\d\.\d' at step \d+ is not ordered by happens-before"],
        [TemporaryVariants.VfreePagesBeforeFlush] = [@"^corruption: vread on CPU1 read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found (poison \(the page was freed\)|0x[0-9a-f]{8})$"],
    };

    public static TheoryData<string, ulong> VariantsAndSeeds()
    {
        var data = new TheoryData<string, ulong>();
        // Every variant: one whose first scenario is missing fails below rather than being left out.
        foreach (var v in Catalog.Variants)
            for (ulong seed = 1; seed <= 5; seed++) data.Add(v.Name, seed);
        return data;
    }

    [Theory, MemberData(nameof(VariantsAndSeeds))]
    public void Variant_IsFoundWithItsBugClass_AndReplays(string variant, ulong seed)
    {
        var v = Catalog.FindVariant(variant)!;
        var s = SystematicRuns.Scenario(v.Scenarios[0]);
        var parameters = s.Defaults with { Variant = variant };
        var report = SystematicTest.Run(s.CreateTest(parameters), SystematicRuns.Options(s, parameters, v.Strategy, seed, Budget));

        Assert.True(report.Bug is not null, $"{variant} not found in {Budget} iterations: {report}");
        var bug = report.Bug!;
        Assert.Equal(v.ExpectedKind, bug.Kind);
        foreach (var pattern in ExpectedText[variant]) Assert.Matches(pattern, bug.Message);
        Assert.InRange(report.IterationsRun, 1, Budget);

        var replay = SystematicTest.Replay(s.CreateTest(ScenarioParameters.FromDictionary(parameters.ToDictionary())), bug.TraceJson);
        Assert.NotNull(replay.Bug);
        Assert.Equal(bug.Kind, replay.Bug!.Kind);
        Assert.Equal(bug.Message, replay.Bug.Message);
    }

    [Fact]
    public void EveryVariantHasExpectedText() =>
        Assert.All(Catalog.Variants, v => Assert.True(ExpectedText.ContainsKey(v.Name), $"{v.Name} has no expected message"));

    [Theory]
    [InlineData(1UL), InlineData(2UL), InlineData(3UL), InlineData(4UL), InlineData(5UL)]
    public void UnlockedInsert_WithoutRaceDetection_StillBreaksVmlist(ulong seed)
    {
        // With the race detector off, the unordered list updates show as what they do: a lost or duplicated area.
        var scenario = SystematicRuns.Scenario("vmalloc-churn");
        var parameters = scenario.Defaults with { Variant = TemporaryVariants.VmlistUnlockedInsert };
        var options = SystematicRuns.Options(scenario, parameters, "pct", seed, Budget) with { DetectDataRaces = false };
        var report = SystematicTest.Run(scenario.CreateTest(parameters), options);
        Assert.True(report.Bug is not null, $"not found: {report}");
        Assert.Equal(BugKind.AssertionFailure, report.Bug!.Kind);
        Assert.Matches(@"^(vmlist lost |WARNING: Trying to \w+\(\) nonexistent vm area|corruption: |oops: |invariant 24 violated)", report.Bug.Message);
    }

    [Fact]
    public void Scenarios_RejectUnknownAndForeignVariants()
    {
        var scenario = SystematicRuns.Scenario("typed-irq-lazy");
        var unknown = Assert.Throws<ArgumentException>(() => scenario.Validate(scenario.Defaults with { Variant = "no-such-thing" }));
        Assert.Equal("unknown variant 'no-such-thing'", unknown.Message);
        var foreign = Assert.Throws<ArgumentException>(() => scenario.Validate(scenario.Defaults with { Variant = TemporaryVariants.PopBeforeClear }));
        Assert.StartsWith("variant 'pop-before-clear' does not apply to scenario 'typed-irq-lazy'", foreign.Message);
        var roles = Assert.Throws<ArgumentException>(() => scenario.Validate(scenario.Defaults with { TasksPerCpu = 3 }));
        Assert.Equal("scenario 'typed-irq-lazy' has fixed task roles (1 per CPU)", roles.Message);
        SystematicRuns.Scenario("typed-preempt").Validate(scenario.Defaults with { TasksPerCpu = 3 });
    }
}
