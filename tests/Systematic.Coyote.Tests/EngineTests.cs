namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>Every bug kind under Coyote, in our words, and the clean-up Coyote leaves to us.</summary>
public sealed class EngineTests
{
    private static TestOptions Options(string strategy = "random", int iterations = 200, ulong seed = 1) =>
        new() { Strategy = strategy, Iterations = iterations, Seed = seed };

    [Fact]
    public void A_lost_update_is_an_assertion_failure_with_our_interleaving()
    {
        var report = CoyoteTest.Run(Programs.LostUpdate(locked: false), Options());
        var bug = Assert.IsType<BugReport>(report.Bug);
        Assert.Equal(BugKind.AssertionFailure, bug.Kind);
        Assert.Equal("lost update: counter is 1, expected 2", bug.Message);
        Assert.Equal(StopReason.BugFound, report.StopReason);
        Assert.StartsWith("     1  T0 main", bug.Interleaving);
        Assert.Contains("Load = 0 atomic 'counter'", bug.Interleaving);
        Assert.Contains("\"engine\": \"coyote\"", bug.TraceJson);
    }

    [Fact]
    public void The_locked_counter_runs_its_whole_budget_clean()
    {
        var report = CoyoteTest.Run(Programs.LostUpdate(locked: true), Options("pct", 300));
        Assert.Null(report.Bug);
        Assert.Equal(300, report.IterationsRun);
        Assert.Equal(StopReason.IterationBudget, report.StopReason);
    }

    [Fact]
    public void Cancellation_stops_after_the_iteration_that_saw_it_and_counts_what_ran()
    {
        using var cancel = new CancellationTokenSource();
        var seen = 0;
        var report = CoyoteTest.Run(() =>
        {
            if (++seen == 40) cancel.Cancel();   // cancelled from inside iteration 40: it finishes, no 41st runs
            Programs.LostUpdate(locked: true)();
        }, Options("random", 1000) with { Cancellation = cancel.Token });
        Assert.Equal(StopReason.Canceled, report.StopReason);
        Assert.Equal(40, report.IterationsRun);
        Assert.Equal(40, seen);
        Assert.Null(report.Bug);
    }

    [Fact]
    public void A_deadlock_names_our_threads_and_the_models_explanation()
    {
        var bug = CoyoteTest.Run(Programs.LockOrder(), Options()).Bug!;
        Assert.Equal(BugKind.Deadlock, bug.Kind);
        Assert.StartsWith("deadlock: no thread can run; T0 'main' waits to join T1 'ab'; T1 'ab' waits for lock 'B', held by T2 'ba'; " +
                          "T2 'ba' waits for lock 'A', held by T1 'ab' — lock order A→B vs B→A", bug.Message);
        Assert.DoesNotContain("Op(", bug.Message);
    }

    [Fact]
    public void A_data_race_is_found_by_the_shared_causality_helper()
    {
        var bug = CoyoteTest.Run(Programs.Race(), Options()).Bug!;
        Assert.Equal(BugKind.DataRace, bug.Kind);
        Assert.Contains("data race on var 'shared'", bug.Message);
    }

    [Fact]
    public void The_step_bound_reports_a_livelock()
    {
        var bug = CoyoteTest.Run(Programs.Spinner(), Options() with { MaxSteps = 300 }).Bug!;
        Assert.Equal(BugKind.Livelock, bug.Kind);
        Assert.StartsWith("livelock: the iteration exceeded 300 steps", bug.Message);
    }

    [Fact]
    public void A_real_Monitor_Wait_is_reported_and_leaves_no_thread_behind()
    {
        var gate = new object();
        var sleepers = new List<Thread>();
        var report = CoyoteTest.Run(Programs.RealMonitorWait(gate, sleepers),
            Options(iterations: 5) with { UncontrolledTimeout = TimeSpan.FromMilliseconds(300) });
        var bug = report.Bug!;
        Assert.Equal(BugKind.UncontrolledConcurrency, bug.Kind);
        Assert.StartsWith("T1 'sleeper' ran for 300 ms without reaching a scheduling point", bug.Message);
        // The sleeper was interrupted and joined at the end of its iteration: its OS thread has ended (Monitor.Wait
        // releases the gate, so a free gate alone would not show it).
        var sleeper = Assert.Single(sleepers);
        Assert.False(sleeper.IsAlive, "the sleeper's OS thread is still running");
        Assert.True(System.Threading.Monitor.TryEnter(gate));
        System.Threading.Monitor.Exit(gate);
    }

    [Fact]
    public void Every_strategy_name_runs_and_an_unknown_one_lists_them()
    {
        foreach (var name in CoyoteStrategies.Names)
            Assert.NotNull(CoyoteTest.Run(Programs.LostUpdate(locked: false), Options(name, 1000)).Bug);
        var e = Assert.Throws<ArgumentException>(() => CoyoteTest.Run(Programs.LostUpdate(false), Options("dfs")));
        Assert.StartsWith("unknown Coyote strategy 'dfs' (valid: random, pct, pct-fair, probabilistic, delay-bounding, qlearning, portfolio)", e.Message);
    }

    [Theory]
    [InlineData(MemoryModel.Tso, "tso")]
    [InlineData(MemoryModel.Arm, "arm")]
    public void A_weak_memory_model_is_refused_in_one_line_and_sc_runs(MemoryModel model, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => CoyoteTest.Run(Programs.LostUpdate(false), Options("pct") with { MemoryModel = model }));
        Assert.StartsWith($"the coyote engine runs only memory model 'sc': its scheduler does not choose when stores become visible (run memory model '{name}' on the hmc engine)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.NotNull(CoyoteTest.Run(Programs.LostUpdate(false), Options("pct", 1000) with { MemoryModel = MemoryModel.Sc }).Bug);
    }

    [Fact]
    public void Through_the_contract_no_Coyote_strategy_samples_and_an_unknown_one_names_the_engine()
    {
        var engine = CoyoteTest.Engine;
        Assert.Equal(CoyoteStrategies.Names, engine.Strategies.Select(s => s.Name));
        Assert.All(engine.Strategies, s => Assert.False(s.Samples, s.Name));
        Assert.Same(CoyoteStrategies.Described[1], engine.CheckStrategy("pct"));
        Assert.Null(engine.FindStrategy("dpor"));
        var e = Assert.Throws<ArgumentException>(() => engine.CheckStrategy("dfs"));
        Assert.Equal("unknown coyote strategy 'dfs' (valid: random, pct, pct-fair, probabilistic, delay-bounding, qlearning, portfolio)", e.Message);
        var run = Assert.Throws<ArgumentException>(() => engine.Run(Programs.LostUpdate(false), Options("dfs")));
        Assert.DoesNotContain('\n', run.Message);
        var partWay = Assert.Throws<ArgumentException>(() => engine.Run(Programs.LostUpdate(false), Options("random") with { FirstIteration = 2 }));
        Assert.StartsWith("Coyote runs its iterations from the first: FirstIteration must be 1", partWay.Message);
    }

    [Fact]
    public void The_same_seed_finds_the_same_bug_in_the_same_iteration_with_the_same_trace()
    {
        var first = CoyoteTest.Run(Programs.LostUpdate(false), Options("pct", seed: 7)).Bug!;
        var second = CoyoteTest.Run(Programs.LostUpdate(false), Options("pct", seed: 7)).Bug!;
        Assert.Equal(first.Iteration, second.Iteration);
        Assert.Equal(first.Interleaving, second.Interleaving);
        Assert.Equal(first.TraceJson, second.TraceJson);
    }
}
