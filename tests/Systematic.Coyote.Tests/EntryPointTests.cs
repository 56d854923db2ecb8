using HighMemConcurrency.HighMem.Variants;
using System.Reflection;
using HighMemConcurrency.CoyoteEntryPoints;
using HighMemConcurrency.HighMem.Scenarios;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>
/// The <c>coyote test</c> entry points run as the tool runs them — a Coyote <see cref="TestingEngine"/> calling the
/// [Test] method each iteration and the [TestIterationDispose] method after it — without the tool itself. One class:
/// the tool's iteration state and <c>HMC_VARIANT</c> are process-wide, so these tests never run concurrently; and one
/// of them counts the process's threads, so the class runs alone (<see cref="ProcessWideMeasurements"/>), not beside
/// another class's <c>CoyoteTest.Run</c>, whose threads would come and go between its two readings.
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class EntryPointTests
{
    private static Microsoft.Coyote.SystematicTesting.TestReport Run(Action entryPoint, Configuration configuration, out string trace)
    {
        using var engine = TestingEngine.Create(configuration.WithTelemetryEnabled(false).WithConsoleLoggingEnabled(false), entryPoint);
        engine.RegisterEndIterationCallBack(_ => ScenarioTests.EndIteration());
        engine.Run();
        trace = engine.ReproducibleTrace;
        return engine.TestReport;
    }

    private static string Pascal(string kebab) =>
        string.Concat(kebab.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    [Fact]
    public void Every_scenario_has_a_test_method_named_after_it()
    {
        var methods = typeof(ScenarioTests).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<TestAttribute>() is not null).Select(m => m.Name).ToHashSet();

        Assert.All(Catalog.Scenarios, s => Assert.Contains(Pascal(s.Name), methods));
        Assert.Equal(Catalog.Scenarios.Count + 1, methods.Count);   // and Variant
    }

    [Fact]
    public void A_variant_chosen_by_HMC_VARIANT_is_found_and_its_trace_replays_to_the_same_report()
    {
        var variant = VariantRegistry.Find("wake-on-zero")!;
        var before = Environment.GetEnvironmentVariable(ScenarioTests.VariantVariable);
        Environment.SetEnvironmentVariable(ScenarioTests.VariantVariable, variant.Name);
        try
        {
            ScenarioTests.CheckVariant();
            var found = Run(ScenarioTests.Variant,
                Configuration.Create().WithTestingIterations(200).WithPrioritizationStrategy(false, 3).WithRandomGeneratorSeed(1), out var trace);
            var bug = Assert.Single(found.BugReports);
            Assert.StartsWith($"{variant.ExpectedKind}: ", bug);
            Assert.Contains("lost wakeup", bug);

            var replayed = Run(ScenarioTests.Variant, Configuration.Create().WithReproducibleTrace(trace), out _);
            Assert.Equal(bug, Assert.Single(replayed.BugReports));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ScenarioTests.VariantVariable, before);
        }
    }

    [Fact]
    public void A_scenarios_correct_model_runs_clean_and_leaves_no_thread_behind()
    {
        var threadsBefore = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        var report = Run(ScenarioTests.FewSlots, Configuration.Create().WithTestingIterations(300).WithRandomStrategy().WithRandomGeneratorSeed(2), out _);
        var threadsAfter = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;

        Assert.Empty(report.BugReports);
        Assert.Equal(300, report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths);
        // 300 iterations start 1,200 threads: a leak of one per iteration would be in the hundreds.
        Assert.True(threadsAfter - threadsBefore < 20, $"threads grew from {threadsBefore} to {threadsAfter}");
    }

    [Fact]
    public void An_unknown_HMC_VARIANT_stops_before_the_first_iteration_naming_the_valid_ones()
    {
        var before = Environment.GetEnvironmentVariable(ScenarioTests.VariantVariable);
        Environment.SetEnvironmentVariable(ScenarioTests.VariantVariable, "nope");
        try
        {
            var e = Assert.Throws<ArgumentException>(ScenarioTests.CheckVariant);
            Assert.Contains("HMC_VARIANT: unknown variant 'nope' (valid: enqueue-after-unlock", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ScenarioTests.VariantVariable, before);
        }
    }

    /// <summary>
    /// <see cref="CoyoteToolIteration.Run"/> honours the step bound and detectors it is given (the tool's options choose
    /// the strategy, so a name only Coyote knows is fine), refuses options that make no sense, and ends cleanly when
    /// called twice.
    /// </summary>
    [Fact]
    public void The_tool_iteration_takes_its_step_bound_from_the_options_it_is_given()
    {
        var options = new TestOptions { MaxSteps = 50, Strategy = "pct-fair" };
        var found = Run(() => CoyoteToolIteration.Run(() =>
        {
            var flag = new SimAtomic(0, "never");
            while (flag.Load() == 0) Sim.Yield();
        }, options), Configuration.Create().WithTestingIterations(1).WithRandomGeneratorSeed(1), out _);
        var bug = Assert.Single(found.BugReports);
        Assert.StartsWith("Livelock: livelock: the iteration exceeded 50 steps", bug);
        Assert.True(CoyoteToolIteration.End(), "a second End, with no iteration in progress, has nothing to wait for");
    }

    [Fact]
    public void The_tool_iteration_refuses_options_that_make_no_sense()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CoyoteToolIteration.Run(() => { }, new TestOptions { MaxSteps = 0 }));
        Assert.Equal("MaxSteps", e.ParamName);
    }
}
