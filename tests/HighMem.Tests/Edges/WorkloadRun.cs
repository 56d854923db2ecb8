using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.HighMem.Tests.Edges;

/// <summary>
/// One iteration of a catalog scenario's own workload — its defaults, the correct model — under one schedule, read
/// back step by step: the test body runs the workload and then fails with a sentinel, so the report carries the
/// steps and the model's notes of an iteration that ran clean to its end. The edge tests read what the workload
/// reached from them.
/// </summary>
internal static class WorkloadRun
{
    private const string Sentinel = "the workload ran to its end (sentinel)";

    /// <summary>The schedules each edge is checked under: every strategy of the default campaign, five seeds each.</summary>
    public static TheoryData<string, ulong> Schedules()
    {
        var data = new TheoryData<string, ulong>();
        foreach (var strategy in new[] { "random", "pct", "pos" })
            for (ulong seed = 1; seed <= 5; seed++) data.Add(strategy, seed);
        return data;
    }

    /// <summary>The steps of one clean iteration of <paramref name="scenario"/> under (<paramref name="strategy"/>, <paramref name="seed"/>).</summary>
    public static IReadOnlyList<StepRecord> Steps(string scenario, string strategy, ulong seed)
    {
        var s = SystematicRuns.Scenario(scenario);
        var workload = s.CreateTest(s.Defaults);
        var report = SystematicTest.Run(() =>
        {
            workload();
            Sim.Assert(false, Sentinel);
        }, SystematicRuns.Options(s, s.Defaults, strategy, seed, iterations: 1));
        Assert.True(report.Bug?.Message == Sentinel, $"the workload did not run clean to its end: {report.Bug}\n{report.Bug?.Interleaving}");
        return report.Bug!.Steps;
    }

    /// <summary>The notes of one clean iteration, in order.</summary>
    public static IReadOnlyList<string> Notes(string scenario, string strategy, ulong seed) =>
        [.. Steps(scenario, strategy, seed).SelectMany(s => s.Notes)];
}
