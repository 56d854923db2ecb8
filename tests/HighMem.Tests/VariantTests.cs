using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Temporary;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Campaigns;
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
        [PkmapVariants.EnqueueAfterUnlock.Name] = ["lost wakeup", "pkmap_map_wait"],
        [PkmapVariants.WakeCheckOutsideLock.Name] = ["lost wakeup", "pkmap_map_wait"],
        [PkmapVariants.WakeOnZero.Name] = ["lost wakeup", "pkmap_map_wait"],
        [PkmapVariants.NoRecheckAfterWake.Name] = ["invariant P2 violated", "has 2 entries"],
        [PkmapVariants.NoBudgetReset.Name] = ["invariant P8 violated", "goes to sleep on pkmap_map_wait although"],
        [PkmapVariants.SkipTlbFlush.Name] = ["invariant P7 violated", "TLB"],
        [PkmapVariants.DropLockAroundFlush.Name] = ["invariant P7 violated", "TLB"],
        [PkmapVariants.IrqOffLockIpiFlush.Name] = ["flush_tlb_kernel_range", "has IRQs disabled and cannot take the IPI"],
        [PkmapVariants.UnpinnedPageAddress.Name] = [@"^(corruption: \S+ \(HardIrq\) on CPU\d read 0x[0-9a-f]{8} expecting pfn \d+ .* but found pfn \d+'s content \(another page\)|oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: \S+ \(HardIrq\) on CPU\d)"],
        [PkmapVariants.SetPageAddressUnlocked.Name] = ["invariant P2 violated", "has 0 entries"],
        [PkmapVariants.DoubleKunmap.Name] = ["kernel BUG at mm/highmem.c:kunmap_high"],
        [PkmapVariants.KmapFromIrq.Name] = ["BUG: sleeping function called from invalid context at kmap", "context: HardIrq"],
        [PkmapVariants.NoKmapFlushUnused.Name] = [@"^PAT: conflicting memory types for page [01] \(pfn 0x[0-9a-f]+\): set_pages_array_uc makes it uncached while pkmap slot \d \(0x[0-9a-f]{8}, pkmap_count 1\) still maps it write-back$"],
        [PkmapVariants.KmapColourBlind.Name] = [@"^corruption: task/0\.[01]'s device reads pfn \d+ from memory expecting 0x[0-9a-f]{8} but found 0x[0-9a-f]{8}, memory's old content: CPU0's cache holds a dirty line of pfn \d+ in colour [01] \(the frame's own colour is [01]\), not yet written back$"],
        [PkmapVariants.NestedKmap.Name] = [@"pool exhaustion \(H9\)", "every pkmap slot has count ≥ 2"],
        [AtomicVariants.AtomicAcrossSleep.Name] = [@"BUG: scheduling while atomic: user/\d\.\d/CPU\d, preempt_count 1"],
        [AtomicVariants.AtomicNoPreemptDisable.Name] = [@"kernel BUG at kmap_atomic: BUG_ON\(!pte_none\(\*\(kmap_pte-\d+\)\)\): KM_USER0 on CPU\d .* still maps pfn"],
        [AtomicVariants.IrqTypeWithIrqsOn.Name] = [@"^corruption: bio on CPU\d read 0x[0-9a-f]{8} expecting pfn \d+ .* but found pfn \d+'s content \(another page\)"],
        [AtomicVariants.PopBeforeClear.Name] = [@"kernel BUG at kmap_atomic: BUG_ON\(!pte_none"],
        [AtomicVariants.DepthOffByOne.Name] = [@"^invariant 17 violated: stack slot 3 on CPU0 is outside its 3-slot window: fixmap index \d+ is slot 0 of CPU1.s window"],
        [AtomicVariants.KunmapOutOfOrder.Name] = [@"^(oops: unable to handle kernel paging request|corruption: ).*"],
        [LocalVariants.LocalNoMigrateDisable.Name] = [@"^(invariant L2 violated at sched_in: user/\d\.\d holds \d kmap_local mapping\(s\) made on CPU\d but runs on CPU\d|oops: |corruption: |invariant 12 violated: )"],
        [LocalVariants.LocalNoPreemptDisable.Name] = [@"^(WARNING: __kmap_local_sched_out|invariant L1 violated)"],
        [LocalVariants.SchedOutTouchesIdx.Name] = [@"^WARNING: __kmap_local_sched_in: .*pteval\[0\] is empty"],
        [LocalVariants.GuardTestOnDebugHighmem.Name] = [@"^WARNING: __kmap_local_sched_out: user/\d\.\d's pteval\[0\] is empty although idx is \d+ \(slot 0 of CPU\d\)$"],
        [LocalVariants.XtensaFixmapBottomUp.Name] = [@"^(oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: \S+ on CPU\d expected pfn \d+ there, the PTE is empty|invariant L1 violated: slot \d+ of CPU\d maps nothing but user/\d\.\d \(idx \d+\) records pfn \d+)$"],
        [LocalVariants.PteNoneGuardCheck.Name] = [@"^WARNING: __kmap_local_sched_(out|in): user/\d\.\d's guard pteval\[0\] is not pte_none \(WARN_ON_ONCE\(!pte_none\(pteval\)\): on xtensa a zero PTE is not pte_none\)$"],
        [LocalVariants.KmapPteLinearOnArm.Name] = [@"^(invariant L1 violated: slot (2[4-9]|3[01]) of CPU7 maps nothing but user/7 \(idx \d+\) records pfn \d+|oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: nest on CPU7 expected pfn \d+ there, the PTE is empty)$"],
        [LocalVariants.KmapToPageMissesLocal.Name] = [@"^corruption: consumer on CPU1 read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found pfn \d+'s content \(another page\)"],
        [LocalVariants.KmapToPageSkipsBegin.Name] = [@"^corruption: consumer on CPU1 read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found pfn \d+'s content \(another page\)"],
        [AtomicVariants.KmapAtomicIgnoresPkmap.Name] = [@"^corruption: task/0\.[01] on CPU0 read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found 0x[0-9a-f]{8}, memory's old content: CPU0's VIVT cache holds a dirty line of pfn \d+ at 0x[0-9a-f]{8}, another alias, not yet written back$"],
        [AtomicVariants.DebugKmapAtomicLowmem.Name] = [@"^WARNING: debug_kmap_atomic: KM_USER0 used in softirq context \(or with BHs disabled\) with IRQs on, CPU\d, user/\d\[SoftIrq\]$"],
        [LocalVariants.LocalAddressShared.Name] = [@"^(oops: unable to handle kernel paging request at 0x[0-9a-f]{8}: consumer|corruption: consumer|invariant 12 violated: consumer on CPU1 accesses 0x[0-9a-f]{8}, slot \d of CPU0)"],
        [OrderingVariants.UnlockPageNoBarrier.Name] = [@"^deadlock: no thread can run; .*user/\d\.\d is woken \(sleeps in TASK_UNINTERRUPTIBLE on shared-page\.wait\)"],
        [OrderingVariants.UnlockPageNoRelease.Name] = [@"^lost update under lock_page: \d+ sections each added one to shared-page's state, but it holds \d+ \(a holder read it from before an earlier holder's section\)$"],
        [OrderingVariants.LockPageWaitNoBarrier.Name] = [@"^deadlock: no thread can run; .*user/\d\.\d is woken \(sleeps in TASK_UNINTERRUPTIBLE on shared-page\.wait\)"],
        [VmallocVariants.VmlistUnlockedInsert.Name] = [@"^data race on var 'vmlist': (Read|Write) by T\d 'vm/\d\.\d' at step \d+ is not ordered by happens-before"],
        [VmallocVariants.VfreePagesBeforeFlush.Name] = [@"^corruption: vread on CPU1 read 0x[0-9a-f]{8} expecting pfn \d+ \(0x[0-9a-f]{8}\) but found (poison \(the page was freed\)|0x[0-9a-f]{8})$"],
    };

    public static TheoryData<string, ulong> VariantsAndSeeds()
    {
        var data = new TheoryData<string, ulong>();
        // Every variant: one whose first scenario is missing fails below rather than being left out.
        foreach (var v in VariantRegistry.All)
            for (ulong seed = 1; seed <= 5; seed++) data.Add(v.Name, seed);
        return data;
    }

    [Theory, MemberData(nameof(VariantsAndSeeds))]
    public void Variant_IsFoundWithItsBugClass_AndReplays(string variant, ulong seed)
    {
        var v = VariantRegistry.Find(variant)!;
        // The campaign's own job for the variant on its first scenario, with its documented strategy.
        var result = Campaign.Model.Run(new CampaignRequest { Scenario = v.Scenarios[0], Variant = variant, Seed = seed, Iterations = Budget });
        var job = Assert.Single(result.Jobs);

        Assert.True(job.Bug is not null, $"{variant} not found in {Budget} iterations: {Verdict.Result(job)}");
        var bug = job.Bug!;
        Assert.Equal(v.Strategy, job.FindingSlice!.Strategy);
        Assert.Equal(v.ExpectedKind, bug.Kind);
        Assert.True(job.FoundAsExpected);
        foreach (var pattern in ExpectedText[variant]) Assert.Matches(pattern, bug.Message);
        Assert.InRange(job.IterationsToBug!.Value, 1, Budget);

        var replay = Campaign.Model.Resolve(bug.TraceJson).Replay();
        Assert.NotNull(replay.Bug);
        Assert.Equal(bug.Kind, replay.Bug!.Kind);
        Assert.Equal(bug.Message, replay.Bug.Message);
    }

    [Fact]
    public void EveryVariantHasExpectedText() =>
        Assert.All(VariantRegistry.All, v => Assert.True(ExpectedText.ContainsKey(v.Name), $"{v.Name} has no expected message"));

    [Theory]
    [InlineData(1UL), InlineData(2UL), InlineData(3UL), InlineData(4UL), InlineData(5UL)]
    public void UnlockedInsert_WithoutRaceDetection_StillBreaksVmlist(ulong seed)
    {
        // With the race detector off, the unordered list updates show as what they do: a lost or duplicated area
        // (a duplicate outlives the vfree of its twin: vmlist is not empty at quiescence).
        var scenario = SystematicRuns.Scenario("vmalloc-churn");
        var parameters = scenario.Defaults with { Variant = VmallocVariants.VmlistUnlockedInsert.Name };
        var options = SystematicRuns.Options(scenario, parameters, "pct", seed, Budget) with { DetectDataRaces = false };
        var report = SystematicTest.Run(scenario.CreateTest(parameters), options);
        Assert.True(report.Bug is not null, $"not found: {report}");
        Assert.Equal(BugKind.AssertionFailure, report.Bug!.Kind);
        Assert.Matches(@"^(vmlist lost |WARNING: Trying to \w+\(\) nonexistent vm area|corruption: |oops: |invariant 24 violated|at quiescence vmlist still holds )", report.Bug.Message);
    }

    [Fact]
    public void Scenarios_RejectUnknownAndForeignVariants()
    {
        var scenario = SystematicRuns.Scenario("typed-irq-lazy");
        var unknown = Assert.Throws<ArgumentException>(() => scenario.Validate(scenario.Defaults with { Variant = "no-such-thing" }));
        Assert.Equal("unknown variant 'no-such-thing' (valid: " + string.Join(", ", VariantRegistry.All.Select(v => v.Name)) + ", none)", unknown.Message);
        var foreign = Assert.Throws<ArgumentException>(() => scenario.Validate(scenario.Defaults with { Variant = AtomicVariants.PopBeforeClear.Name }));
        Assert.StartsWith("variant 'pop-before-clear' does not apply to scenario 'typed-irq-lazy'", foreign.Message);
        var roles = Assert.Throws<ArgumentException>(() => scenario.Validate(scenario.Defaults with { TasksPerCpu = 3 }));
        Assert.Equal("scenario 'typed-irq-lazy' has fixed task roles (1 per CPU)", roles.Message);
        SystematicRuns.Scenario("typed-preempt").Validate(scenario.Defaults with { TasksPerCpu = 3 });
    }
}
