using System.Text.Json;

namespace HighMemConcurrency.Systematic.Tests.MemoryModels;

/// <summary>
/// The TSO store buffers as part of the schedule: every strategy chooses drains, a trace records and replays them,
/// the interleaving shows them, reports name threads as under SC, and DPOR explores them completely.
/// </summary>
public sealed class StoreBufferTests
{
    // SB with the forbidden-under-SC outcome as the bug: r0 = r1 = 0 fails the test.
    private static void StoreBuffering()
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0;
        Litmus.Run(() => { x.Store(1); r0 = y.Load(); }, () => { y.Store(1); r1 = x.Load(); });
        Sim.Assert(r0 == 1 || r1 == 1, $"both loads passed the other CPU's store: r0 = {r0}, r1 = {r1}");
    }

    [Theory]
    [MemberData(nameof(Litmus.Strategies), MemberType = typeof(Litmus))]
    public void Every_strategy_finds_the_store_buffering_outcome_under_tso(string strategy)
    {
        var report = SystematicTest.Run(StoreBuffering, Litmus.Options(strategy, MemoryModel.Tso));
        Assert.True(report.Bug is { Kind: BugKind.AssertionFailure }, $"{strategy} did not find r0 = r1 = 0 under tso: {report}");
    }

    [Theory]
    [InlineData("dfs")]
    [InlineData("dpor")]
    public void No_schedule_reaches_the_store_buffering_outcome_under_sc(string strategy)
    {
        var report = SystematicTest.Run(StoreBuffering, Litmus.Options(strategy, MemoryModel.Sc));
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    [Fact]
    public void A_tso_trace_records_the_model_and_replays_byte_for_byte()
    {
        var report = SystematicTest.Run(StoreBuffering, Litmus.Options("random", MemoryModel.Tso));
        var bug = Assert.IsType<BugReport>(report.Bug);
        using (var doc = JsonDocument.Parse(bug.TraceJson))
            Assert.Equal(8, doc.RootElement.GetProperty("options").GetProperty("storeBufferSize").GetInt32());
        Litmus.AssertReplaysByteForByte(StoreBuffering, bug, "tso");
    }

    [Fact]
    public void An_sc_trace_has_no_memory_model_field()
    {
        var report = SystematicTest.Run(() => Sim.Assert(false, "stop"), new TestOptions { Strategy = "random" });
        using var doc = JsonDocument.Parse(report.Bug!.TraceJson);
        Assert.False(doc.RootElement.GetProperty("options").TryGetProperty("memoryModel", out _));
    }

    [Fact]
    public void The_interleaving_shows_each_store_becoming_visible_and_names_threads_as_under_sc()
    {
        var report = SystematicTest.Run(StoreBuffering, Litmus.Options("random", MemoryModel.Tso));
        var text = report.Bug!.Interleaving;
        Assert.Contains("store buffer: store of 1 to atomic 'x' becomes visible", text);
        Assert.Contains("store buffer: store of 1 to atomic 'y' becomes visible", text);
        Assert.Contains("T1 P0", text);
        Assert.Contains("T2 P1", text);
        Assert.DoesNotContain("T3", text);
        Assert.DoesNotContain("T4", text);
    }

    [Fact]
    public void A_barrier_with_stores_to_drain_is_a_step_that_says_what_became_visible()
    {
        var report = SystematicTest.Run(() =>
        {
            var x = new SimAtomic(0, "x");
            x.Store(1);
            Sim.MemoryBarrier();
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "pct", MemoryModel = MemoryModel.Tso, Seed = 1 });
        Assert.Contains("smp_mb  | barrier: store of 1 to atomic 'x' becomes visible", report.Bug!.Interleaving);
    }

    [Fact]
    public void A_thread_reads_its_own_buffered_store_before_anyone_else_can()
    {
        var report = SystematicTest.Run(() =>
        {
            var x = new SimVar<int>(0, "x");
            var seen = -1;
            var reader = Sim.Start("reader", () => seen = x.Read());
            x.Write(1);
            Sim.Assert(x.Read() == 1, "the writer did not read its own store");
            reader.Join();
            Sim.Assert(seen is 0 or 1, $"the reader saw {seen}");
        }, Litmus.Options("dpor", MemoryModel.Tso) with { DetectDataRaces = false });
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
    }

    [Fact]
    public void A_store_into_a_full_buffer_first_makes_the_oldest_visible_and_notes_it()
    {
        var report = SystematicTest.Run(() =>
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            x.Store(1);
            y.Store(2);
            Sim.Assert(x.Peek == 1, "the full buffer kept x's store");
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "pct", MemoryModel = MemoryModel.Tso, StoreBufferSize = 1, Seed = 1 });
        Assert.Equal("stop", report.Bug!.Message);
        Assert.Contains("store buffer full: store of 1 to atomic 'x' becomes visible first", report.Bug.Interleaving);
    }

    // The objects outlive the iterations on purpose: a buffered store is the first touch of the atomic in every
    // iteration after the first, so it must start the atomic's clock afresh before its release is published.
    [Fact]
    public void A_buffered_atomic_store_releases_when_it_becomes_visible_so_message_passing_is_race_free()
    {
        var data = new SimVar<int>(0, "data");
        var flag = new SimAtomic(0, "flag");
        var report = SystematicTest.Run(() =>
        {
            data.Write(0);
            flag.Store(0);
            var producer = Sim.Start("producer", () => { data.Write(1); flag.Store(1); });
            if (flag.Load() == 1) Sim.Assert(data.Read() == 1, "the flag became visible before the data");
            producer.Join();
        }, Litmus.Options("dpor", MemoryModel.Tso) with { DetectDataRaces = true });
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.True(report.Exhausted, report.ToString());
        Assert.True(report.IterationsRun > 1, report.ToString());
    }

    [Fact]
    public void A_buffered_flag_is_shown_with_its_value_and_a_list_without()
    {
        var report = SystematicTest.Run(() =>
        {
            var flag = new SimVar<bool>(false, "flag");
            var list = new SimVar<List<int>>([], "list");
            flag.Write(true);
            list.Write([1]);
            Sim.MemoryBarrier();
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "pct", MemoryModel = MemoryModel.Tso, Seed = 1 });
        Assert.Contains("barrier: 2 buffered stores become visible", report.Bug!.Interleaving);
        var steps = report.Bug.Steps;
        Assert.Contains(steps, s => s.Operation == "Write" && s.Target == "var 'flag'");
        var full = SystematicTest.Run(() =>
        {
            var flag = new SimVar<bool>(false, "flag");
            var list = new SimVar<List<int>>([], "list");
            flag.Write(true);
            list.Write([1]);
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "pct", MemoryModel = MemoryModel.Tso, Seed = 1, StoreBufferSize = 1 });
        Assert.Contains("store buffer full: store of true to var 'flag' becomes visible first", full.Bug!.Interleaving);
        var listFirst = SystematicTest.Run(() =>
        {
            var list = new SimVar<List<int>>([], "list");
            var flag = new SimVar<bool>(false, "flag");
            list.Write([1]);
            flag.Write(true);
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "pct", MemoryModel = MemoryModel.Tso, Seed = 1, StoreBufferSize = 1 });
        Assert.Contains("store buffer full: store to var 'list' becomes visible first", listFirst.Bug!.Interleaving);
    }

    // The ring wraps: a three-entry buffer whose oldest entries a full buffer forced out, then a newer store to an
    // object still buffered. A load must see its thread's newest store to that object, else memory.
    [Theory]
    [InlineData("random", 1UL)]
    [InlineData("pct", 2UL)]
    [InlineData("dfs", 1UL)]
    public void A_load_reads_the_newest_buffered_store_of_its_object_across_the_ring(string strategy, ulong seed)
    {
        var report = SystematicTest.Run(() =>
        {
            var (x, y, z) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"), new SimAtomic(0, "z"));
            x.Store(1);
            x.Store(2);
            Sim.Assert(x.Load() == 2, "x: not the newer of two buffered stores");
            y.Store(1);
            z.Store(1);   // the buffer is full: x = 1 is forced out, possibly x = 2 and y = 1 too
            z.Store(2);
            x.Store(3);
            Sim.Assert(x.Load() == 3, $"x = {x.Load()} after storing 3");
            Sim.Assert(y.Load() == 1, $"y = {y.Load()} after storing 1");
            Sim.Assert(z.Load() == 2, $"z = {z.Load()} after storing 2");
        }, new TestOptions { Strategy = strategy, Seed = seed, MemoryModel = MemoryModel.Tso, StoreBufferSize = 3, Iterations = 300, PreemptionBound = null });
        Assert.True(report.Bug is null, report.Bug?.Message + "\n" + report.Bug?.Interleaving);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_store_buffer_size_below_one_is_refused(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SystematicTest.Run(() => { }, new TestOptions { MemoryModel = MemoryModel.Tso, StoreBufferSize = size }));
        Assert.Equal("StoreBufferSize", e.ParamName);
    }

    // DPOR's outcome sets under TSO against DFS's, on shapes small enough for DFS: the same outcomes, fewer schedules.
    public static TheoryData<string> SmallShapes => new() { "SB", "SB+rfi", "R", "CoWR" };

    private static string Shape(string name)
    {
        var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
        int r0 = 0, r1 = 0, r2 = 0, r3 = 0;
        switch (name)
        {
            case "SB":
                Litmus.Run(() => { x.Store(1); r0 = y.Load(); }, () => { y.Store(1); r1 = x.Load(); });
                return Litmus.Show(r0, r1);
            case "SB+rfi":
                Litmus.Run(() => { x.Store(1); r0 = x.Load(); r1 = y.Load(); }, () => { y.Store(1); r2 = y.Load(); r3 = x.Load(); });
                return Litmus.Show(r0, r1, r2, r3);
            case "R":
                Litmus.Run(() => { x.Store(1); y.Store(1); }, () => { y.Store(2); r0 = x.Load(); });
                return Litmus.Show(y.Peek, r0);
            default:
                Litmus.Run(() => { x.Store(1); r0 = x.Load(); }, () => x.Store(2));
                return Litmus.Show(r0, x.Peek);
        }
    }

    [Theory]
    [MemberData(nameof(SmallShapes))]
    public void Dpor_reaches_exactly_the_outcomes_dfs_reaches_under_tso(string shape)
    {
        var dfs = Litmus.Outcomes(MemoryModel.Tso, () => Shape(shape), strategy: "dfs");
        var dpor = Litmus.Outcomes(MemoryModel.Tso, () => Shape(shape), strategy: "dpor");
        Assert.Equal(dfs, dpor);
    }
}
