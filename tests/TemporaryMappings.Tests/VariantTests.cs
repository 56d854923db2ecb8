using System.Text.RegularExpressions;
using HighMemConcurrency.HighMem.TemporaryScenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.TemporaryMappings.Tests;

/// <summary>
/// Every temporary-mapping variant is found in its first scenario by its strategy within 1,000 iterations for seeds
/// 1–5, with its kind and a message of its class; the trace replays to the same kind and message.
/// </summary>
public sealed class VariantTests
{
    private const int Budget = 1000;

    // What each variant's report must say: the class of the bug, in the model's words.
    private static readonly Dictionary<string, string> Expected = new()
    {
        [TemporaryVariants.AtomicAcrossSleep] = @"BUG: scheduling while atomic: user/\d\.\d/CPU\d, preempt_count 1",
        [TemporaryVariants.AtomicNoPreemptDisable] = @"kernel BUG at kmap_atomic: BUG_ON\(!pte_none\(\*\(kmap_pte-\d+\)\)\): KM_USER0 on CPU\d .* still maps pfn",
        [TemporaryVariants.IrqTypeWithIrqsOn] = @"^corruption: bio on CPU\d read 0x[0-9a-f]{8} expecting pfn \d+ .* but found pfn \d+'s content \(another page\)",
        [TemporaryVariants.PopBeforeClear] = @"kernel BUG at kmap_atomic: BUG_ON\(!pte_none",
        [TemporaryVariants.DepthOffByOne] = @"^invariant 17 violated: stack slot 3 on CPU0 is outside its 3-slot window: fixmap index \d+ is slot 0 of CPU1.s window",
        [TemporaryVariants.KunmapOutOfOrder] = @"^(oops: unable to handle kernel paging request|corruption: ).*",
        [TemporaryVariants.LocalNoMigrateDisable] = @"^(invariant L2 violated at sched_in: user/\d\.\d holds \d kmap_local mapping\(s\) made on CPU\d but runs on CPU\d|oops: |corruption: |invariant 12 violated: )",
        [TemporaryVariants.LocalNoPreemptDisable] = @"^(WARNING: __kmap_local_sched_out|invariant L1 violated)",
        [TemporaryVariants.SchedOutTouchesIdx] = @"^WARNING: __kmap_local_sched_in: .*pteval\[0\] is empty",
        [TemporaryVariants.LocalAddressShared] = @"^(oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: consumer|corruption: consumer|invariant 12 violated: consumer on CPU1 accesses 0x[0-9a-f]{8}, slot \d of CPU0)",
        [TemporaryVariants.VmlistUnlockedInsert] = @"^data race on var 'vmlist': (Read|Write) by T\d 'vm/\d\.\d' at step \d+ is not ordered by happens-before",
        [TemporaryVariants.VfreePagesBeforeFlush] = @"^corruption: vread on CPU1 read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found (poison \(the page was freed\)|0x[0-9a-f]{8})$",
    };

    public static TheoryData<string, ulong> VariantsAndSeeds()
    {
        var data = new TheoryData<string, ulong>();
        // Every variant: one whose first scenario is missing fails below rather than being left out.
        foreach (var v in TemporaryCatalog.Variants)
            for (ulong seed = 1; seed <= 5; seed++) data.Add(v.Name, seed);
        return data;
    }

    [Theory, MemberData(nameof(VariantsAndSeeds))]
    public void Variant_IsFound_AndItsTraceReplays(string name, ulong seed)
    {
        var variant = TemporaryVariants.Find(name)!;
        var scenario = SystematicRuns.Scenario(variant.Scenarios[0]);
        var parameters = scenario.Defaults with { Variant = name };
        var report = SystematicTest.Run(scenario.CreateTest(parameters),
            SystematicRuns.Options(scenario, parameters, variant.Strategy, seed, Budget));

        Assert.True(report.Bug is not null, $"{name} not found in {Budget} iterations: {report}");
        var bug = report.Bug!;
        Assert.Equal(variant.ExpectedKind, bug.Kind);
        Assert.Matches(new Regex(Expected[name]), bug.Message);
        Assert.InRange(report.IterationsRun, 1, Budget);

        var replay = SystematicTest.Replay(scenario.CreateTest(parameters), bug.TraceJson);
        Assert.NotNull(replay.Bug);
        Assert.Equal(bug.Kind, replay.Bug!.Kind);
        Assert.Equal(bug.Message, replay.Bug.Message);
    }

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
    public void EveryVariant_HasAnExpectedClass_AndEachOfItsScenariosAcceptsIt()
    {
        foreach (var v in TemporaryCatalog.Variants)
        {
            Assert.True(Expected.ContainsKey(v.Name), $"{v.Name} has no expected message");
            Assert.NotEmpty(v.Scenarios);
            foreach (var name in v.Scenarios)
            {
                var scenario = SystematicRuns.Scenario(name);
                scenario.Validate(scenario.Defaults with { Variant = v.Name });
            }
        }
        Assert.Equal(TemporaryCatalog.Variants.Count, TemporaryCatalog.Variants.Select(v => v.Name).Distinct().Count());
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
