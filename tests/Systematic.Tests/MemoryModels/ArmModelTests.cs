using System.Text.Json;

namespace HighMemConcurrency.Systematic.Tests.MemoryModels;

/// <summary>
/// The arm model as part of the schedule: which store a load reads is a decision every strategy makes, a trace
/// records and replays, the interleaving notes, and DPOR explores completely; the model's synchronisation (spawn,
/// join, WaitUntil, locks) and its barriers leave sc and tso schedules as they were.
/// </summary>
public sealed class ArmModelTests
{
    // MP with the forbidden-under-SC outcome as the bug: the flag is seen and the data is not.
    private static void MessagePassing()
    {
        var (data, flag) = (new SimAtomic(0, "data"), new SimAtomic(0, "flag"));
        int r0 = 0, r1 = 0;
        Litmus.Run(() => { data.Store(1); flag.Store(1); }, () => { r0 = flag.Load(); r1 = data.Load(); });
        Sim.Assert(r0 == 0 || r1 == 1, $"the flag was seen without the data: flag = {r0}, data = {r1}");
    }

    [Theory]
    [MemberData(nameof(Litmus.Strategies), MemberType = typeof(Litmus))]
    public void Every_strategy_finds_the_message_passing_outcome_under_arm(string strategy)
    {
        var report = SystematicTest.Run(MessagePassing, Litmus.Options(strategy, MemoryModel.Arm));
        Assert.True(report.Bug is { Kind: BugKind.AssertionFailure }, $"{strategy} did not find flag = 1, data = 0 under arm: {report}");
    }

    [Theory]
    [InlineData(MemoryModel.Sc)]
    [InlineData(MemoryModel.Tso)]
    public void No_schedule_reaches_the_message_passing_outcome_under_sc_or_tso(MemoryModel model)
    {
        var report = SystematicTest.Run(MessagePassing, Litmus.Options("dpor", model));
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    [Fact]
    public void An_arm_trace_records_the_model_and_replays_byte_for_byte()
    {
        var report = SystematicTest.Run(MessagePassing, Litmus.Options("random", MemoryModel.Arm));
        Litmus.AssertReplaysByteForByte(MessagePassing, Assert.IsType<BugReport>(report.Bug), "arm");
    }

    // Under arm message passing fails without a single preemption: the writer runs to its end, and the reader's load
    // of the data still chooses the older store. The minimizer keeps the model and finds that schedule.
    [Fact]
    public void An_arm_trace_minimizes_under_arm_to_no_preemption()
    {
        var bug = SystematicTest.Run(MessagePassing, Litmus.Options("random", MemoryModel.Arm)).Bug!;
        var result = SystematicTest.Minimize(MessagePassing, bug.TraceJson, new TestOptions { DetectDataRaces = false });
        Assert.Equal(BugKind.AssertionFailure, result.Minimized.Kind);
        Assert.Equal(0, result.Preemptions);
        using (var doc = JsonDocument.Parse(result.Minimized.TraceJson))
            Assert.Equal("arm", doc.RootElement.GetProperty("options").GetProperty("memoryModel").GetString());
        Assert.Equal(BugKind.AssertionFailure, SystematicTest.Replay(MessagePassing, result.Minimized.TraceJson).Bug?.Kind);
    }

    [Fact]
    public void The_interleaving_notes_a_load_that_reads_an_older_store()
    {
        var report = SystematicTest.Run(MessagePassing, Litmus.Options("dfs", MemoryModel.Arm));
        Assert.Contains("reads 0 from atomic 'data', not yet the newest: 1 newer store is not seen", report.Bug!.Interleaving);
    }

    // A writer's increasing stores and a reader's three loads: whatever store each load chooses, it never reads an
    // older store than the one before it (CoRR across a longer history).
    [Fact]
    public void Successive_loads_never_go_back_in_a_location_s_history()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var report = SystematicTest.Run(() =>
        {
            var x = new SimAtomic(0, "x");
            int a = 0, b = 0, c = 0;
            Litmus.Run(() => { x.Store(1); x.Store(2); x.Store(3); }, () => { a = x.Load(); b = x.Load(); c = x.Load(); });
            Sim.Assert(a <= b && b <= c, $"loads went back: {a}, {b}, {c}");
            seen.Add(Litmus.Show(a, b, c));
        }, Litmus.Options("dpor", MemoryModel.Arm) with { Iterations = 100_000 });
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
        Assert.Contains("0,0,0", seen);     // every load may lag behind every store
        Assert.Contains("0,3,3", seen);
        Assert.Equal(20, seen.Count);      // every non-decreasing triple over 0..3
    }

    [Fact]
    public void A_spawned_thread_sees_its_parent_s_earlier_stores_and_a_joiner_the_joined_thread_s()
    {
        var report = SystematicTest.Run(() =>
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            var other = new SimAtomic(0, "other");
            x.Store(1);
            var noise = Sim.Start("noise", () => { other.Store(1); other.Store(2); });
            var child = Sim.Start("child", () => { Sim.Assert(x.Load() == 1, "the child read x older than its parent's store"); y.Store(1); });
            child.Join();
            Sim.Assert(y.Load() == 1, "the joiner read y older than the joined thread's store");
            noise.Join();
            Sim.Assert(other.Load() == 2, "the joiner read other older than the joined thread's last store");
        }, Litmus.Options("dpor", MemoryModel.Arm));
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    // A WaitUntil is a spin of plain loads: its thread then reads nothing older than what the condition saw, but the
    // data behind the flag is ordered only by an acquire barrier after it (smp_rmb), as after any plain load.
    private static Action SpinOnAFlag(bool rmb) => () =>
    {
        var (data, flag) = (new SimAtomic(0, "data"), new SimAtomic(0, "flag"));
        Litmus.Run(() => { data.Store(1); Sim.WriteBarrier(); flag.Store(1); }, () =>
        {
            Sim.WaitUntil(() => flag.Peek == 1, "the flag is set");
            if (rmb) Sim.ReadBarrier();   // right after the spin: what the flag's store carried comes from the spin's load
            Sim.Assert(data.Load() == 1, "the flag was seen without the data");
            Sim.Assert(flag.Load() == 1, "read the flag older than the condition saw it");
        });
    };

    // The spin read the store its condition saw, not necessarily the newest when the thread reads again: a store that
    // came after may still be unseen.
    [Fact]
    public void After_a_WaitUntil_a_store_newer_than_the_one_the_condition_saw_may_still_be_unseen()
    {
        var seen = Litmus.Outcomes(MemoryModel.Arm, () =>
        {
            var flag = new SimAtomic(0, "flag");
            int atWait = 0, after = 0;
            Litmus.Run(() => { flag.Store(1); flag.Store(2); }, () =>
            {
                Sim.WaitUntil(() => flag.Peek != 0, "the flag is set");
                after = flag.Load();
            });
            atWait = after;
            return Litmus.Show(atWait);
        });
        Assert.Contains("1", seen);
        Assert.Contains("2", seen);
    }

    // A new task starts in schedule(), whose full barrier orders what its parent had seen before its own first stores:
    // a reader that sees the child's flag and passes smp_rmb sees the parent's data.
    [Fact]
    public void A_spawned_thread_s_stores_carry_what_its_parent_had_seen()
    {
        var outcomes = Litmus.Outcomes(MemoryModel.Arm, () =>
        {
            var (data, flag) = (new SimAtomic(0, "data"), new SimAtomic(0, "flag"));
            int r0 = 0, r1 = 0;
            var reader = Sim.Start("reader", () => { r0 = flag.Load(); Sim.ReadBarrier(); r1 = data.Load(); });
            data.Store(1);
            var child = Sim.Start("child", () => flag.Store(1));
            child.Join();
            reader.Join();
            return Litmus.Show(r0, r1);
        });
        Assert.DoesNotContain("1,0", outcomes);
        Assert.Contains("1,1", outcomes);
    }

    // smp_mb is at least smp_rmb and smp_wmb: MP with a release store read across smp_mb, and MP with smp_mb in the
    // writer read across smp_rmb, never see the flag without the data (LKMM: a full barrier orders everything).
    [Theory]
    [InlineData(true), InlineData(false)]
    public void Smp_mb_orders_as_smp_rmb_and_as_smp_wmb(bool mbInReader)
    {
        var outcomes = Litmus.Outcomes(MemoryModel.Arm, () =>
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(
                () => { x.Store(1); if (mbInReader) y.StoreRelease(1); else { Sim.MemoryBarrier(); y.Store(1); } },
                () => { r0 = y.Load(); if (mbInReader) Sim.MemoryBarrier(); else Sim.ReadBarrier(); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        });
        Assert.Equal(new SortedSet<string>(["0,0", "0,1", "1,1"], StringComparer.Ordinal), outcomes);
    }

    // The same spin on a plain variable: its Peek in the condition is a load of the newest store too.
    [Fact]
    public void After_a_WaitUntil_on_a_plain_variable_the_waiter_reads_nothing_older_than_its_condition_saw()
    {
        var report = SystematicTest.Run(() =>
        {
            var flag = new SimVar<int>(0, "flag");
            Litmus.Run(() => { flag.Write(1); flag.Write(2); }, () =>
            {
                Sim.WaitUntil(() => flag.Peek != 0, "the flag is set");
                var seen = flag.Read();
                Sim.Assert(seen != 0, "read the flag older than the condition saw it");
            });
        }, Litmus.Options("dpor", MemoryModel.Arm));
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    // Each value-returning atomic is a full barrier under arm (Documentation/atomic_t.txt): SB with it as the store
    // never reads 0 twice; a failed compare-exchange stores nothing but is still ordered here (stronger than LKMM).
    [Theory]
    [InlineData("add"), InlineData("exchange"), InlineData("cmpxchg")]
    public void A_value_returning_atomic_as_the_store_forbids_store_buffering_under_arm(string rmw)
    {
        var outcomes = Litmus.Outcomes(MemoryModel.Arm, () =>
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            void Store(SimAtomic a)
            {
                if (rmw == "add") a.Add(1);
                else if (rmw == "exchange") a.Exchange(1);
                else a.CompareExchange(1, 0);
            }
            Litmus.Run(() => { Store(x); r0 = y.Load(); }, () => { Store(y); r1 = x.Load(); });
            return Litmus.Show(r0, r1);
        });
        Assert.Equal(new SortedSet<string>(["0,1", "1,0", "1,1"], StringComparer.Ordinal), outcomes);
    }

    [Fact]
    public void After_a_WaitUntil_the_waiter_sees_what_its_condition_saw_and_with_smp_rmb_what_was_released_with_it()
    {
        var report = SystematicTest.Run(SpinOnAFlag(rmb: true), Litmus.Options("dpor", MemoryModel.Arm));
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    [Fact]
    public void After_a_WaitUntil_without_smp_rmb_the_data_behind_the_flag_may_be_old()
    {
        var report = SystematicTest.Run(SpinOnAFlag(rmb: false), Litmus.Options("dpor", MemoryModel.Arm));
        Assert.True(report.Bug is { Kind: BugKind.AssertionFailure } bug && bug.Message.Contains("without the data"), report.ToString());
    }

    // Message passing with plain data: races are judged on synchronisation, values on the memory model. With the
    // flag released and acquired the reader sees the data; with plain accesses it may not, and that is a wrong value,
    // not a race (the atomic load synchronises with the store it read).
    private static Action PlainDataBehindAFlag(bool releaseAcquire) => () =>
    {
        var data = new SimVar<int>(0, "data");
        var flag = new SimAtomic(0, "flag");
        Litmus.Run(
            () => { data.Write(1); if (releaseAcquire) flag.StoreRelease(1); else flag.Store(1); },
            () =>
            {
                var seen = releaseAcquire ? flag.LoadAcquire() : flag.Load();
                if (seen == 1) Sim.Assert(data.Read() == 1, "the flag was seen without the data");
            });
    };

    [Fact]
    public void Plain_data_behind_a_released_and_acquired_flag_is_seen_and_race_free_under_arm()
    {
        var report = SystematicTest.Run(PlainDataBehindAFlag(releaseAcquire: true), Litmus.Options("dpor", MemoryModel.Arm) with { DetectDataRaces = true });
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    [Fact]
    public void Plain_data_behind_a_plain_flag_may_be_read_old_under_arm_which_is_a_wrong_value_not_a_race()
    {
        var report = SystematicTest.Run(PlainDataBehindAFlag(releaseAcquire: false), Litmus.Options("dpor", MemoryModel.Arm) with { DetectDataRaces = true });
        Assert.True(report.Bug is { Kind: BugKind.AssertionFailure }, report.ToString());
    }

    [Fact]
    public void Unordered_plain_accesses_are_still_a_data_race_under_arm()
    {
        var report = SystematicTest.Run(() =>
        {
            var v = new SimVar<int>(0, "v");
            Litmus.Run(() => v.Write(1), () => v.Read());
        }, Litmus.Options("dpor", MemoryModel.Arm) with { DetectDataRaces = true });
        Assert.True(report.Bug is { Kind: BugKind.DataRace }, report.ToString());
    }

    // smp_wmb and smp_rmb order nothing x86 does not already order, and change only the caller's own views under arm:
    // they are never scheduling points, so sc and tso explore exactly the schedules they explored without them.
    [Theory]
    [InlineData(MemoryModel.Sc)]
    [InlineData(MemoryModel.Tso)]
    [InlineData(MemoryModel.Arm)]
    public void Read_and_write_barriers_add_no_scheduling_point(MemoryModel model)
    {
        TestReport Explore(bool barriers) => SystematicTest.Run(() =>
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            Litmus.Run(
                () => { x.Store(1); if (barriers) Sim.WriteBarrier(); y.Store(1); },
                () => { y.Load(); if (barriers) Sim.ReadBarrier(); x.Load(); });
        }, Litmus.Options("dfs", model) with { Iterations = 100_000 });
        var without = Explore(barriers: false);
        var with = Explore(barriers: true);
        Assert.True(without.Exhausted && with.Exhausted);
        Assert.Equal(without.StepsExplored / without.IterationsRun, with.StepsExplored / with.IterationsRun);
        Assert.Equal(0, with.StepsExplored % with.IterationsRun);
        if (model != MemoryModel.Arm) Assert.Equal(without.IterationsRun, with.IterationsRun);
        else Assert.True(with.IterationsRun < without.IterationsRun, $"the barriers should remove stale choices: {with.IterationsRun} vs {without.IterationsRun}");
    }

    // IRIW is left out (DFS does not exhaust its four threads' schedules and choices within a million iterations) and
    // Z6.0 with locks too (DFS takes about a minute): MP with locks stands for the lock edges.
    public static TheoryData<string> Shapes => new(["MP", "WRC", "ISA2+release-acquire", "MP+locks", "SB+mb"]);

    private static string Shape(string name)
    {
        var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
        var l = new SimLock("l");
        int r0 = 0, r1 = 0, r2 = 0;
        switch (name)
        {
            case "MP":
                Litmus.Run(() => { x.Store(1); y.Store(1); }, () => { r0 = y.Load(); r1 = x.Load(); });
                return Litmus.Show(r0, r1);
            case "WRC":
                Litmus.Run(() => x.Store(1), () => { r0 = x.Load(); y.Store(1); }, () => { r1 = y.Load(); r2 = x.Load(); });
                return Litmus.Show(r0, r1, r2);
            case "ISA2+release-acquire":
                Litmus.Run(() => { x.Store(1); y.StoreRelease(1); }, () => { r0 = y.LoadAcquire(); z.StoreRelease(1); },
                    () => { r1 = z.LoadAcquire(); r2 = x.Load(); });
                return Litmus.Show(r0, r1, r2);
            case "MP+locks":
                Litmus.Run(() => { x.Store(1); l.Enter(); y.Store(1); l.Exit(); }, () => { l.Enter(); r0 = y.Load(); l.Exit(); r1 = x.Load(); });
                return Litmus.Show(r0, r1);
            default:
                Litmus.Run(() => { x.Store(1); Sim.MemoryBarrier(); r0 = y.Load(); }, () => { y.Store(1); Sim.MemoryBarrier(); r1 = x.Load(); });
                return Litmus.Show(r0, r1);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Dpor_reaches_exactly_the_outcomes_dfs_reaches_under_arm(string shape)
    {
        var dfs = Litmus.Outcomes(MemoryModel.Arm, () => Shape(shape), strategy: "dfs");
        var dpor = Litmus.Outcomes(MemoryModel.Arm, () => Shape(shape), strategy: "dpor");
        Assert.Equal(dfs, dpor);
    }
}
