using System.Globalization;
using HighMemConcurrency.Cli.Testing;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Output;

/// <summary>
/// What makes two runs parts of one campaign: the same tool, request and jobs. <c>hmc merge</c> accepts shards only
/// when these are equal, and plans the campaign again from them.
/// </summary>
/// <param name="Tool">Tool name and version.</param>
/// <param name="Engine">hmc or coyote.</param>
/// <param name="Scenario">The <c>--scenario</c> given, or null.</param>
/// <param name="Variant">The <c>--variant</c> given, or null.</param>
/// <param name="Strategy">The <c>--strategy</c> given, or null.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="IterationsPerJob">Iteration budget of each job.</param>
/// <param name="TimeLimitSeconds">The time limit, if any (a sharded campaign has none).</param>
/// <param name="Cpus">The <c>--cpus</c> override, or null.</param>
/// <param name="LastPkmap">The <c>--last-pkmap</c> override, or null.</param>
/// <param name="IterationBlock">Iterations per work unit of the sampling strategies.</param>
/// <param name="Jobs">The planned jobs: scenario, variant and strategy of each, in order.</param>
internal sealed record CampaignIdentity(string Tool, string Engine, string? Scenario, string? Variant, string? Strategy, string Seed,
    int IterationsPerJob, double? TimeLimitSeconds, int? Cpus, int? LastPkmap, int IterationBlock, IReadOnlyList<string> Jobs)
{
    public static CampaignIdentity Of(TestPlan plan, TestRequest request) =>
        new(ToolInfo.NameAndVersion, request.Engine, request.Scenario, request.Variant, request.Strategy,
            request.Seed.ToString(CultureInfo.InvariantCulture), request.Iterations,
            request.TimeLimit is { } t ? TestSummary.Seconds(t) : null, request.Cpus, request.LastPkmap, SystematicTest.IterationBlock,
            plan.Jobs.Select(j => $"{j.Scenario.Name} {j.Parameters.Variant} {j.Strategy}").ToList());

    /// <summary>The request this campaign was run with (the planner makes the same jobs from it).</summary>
    public TestRequest ToRequest() =>
        new(Scenario, Variant, Strategy, IterationsPerJob, ulong.Parse(Seed, NumberStyles.None, CultureInfo.InvariantCulture),
            Cpus, LastPkmap, TimeLimitSeconds is { } s ? TimeSpan.FromSeconds(s) : null, Engine);

    /// <summary>The first field in which <paramref name="other"/> differs, as "name: this vs other"; null when equal.</summary>
    public string? Difference(CampaignIdentity other)
    {
        (string Name, object? Mine, object? Theirs)[] fields =
        [
            ("tool", Tool, other.Tool), ("engine", Engine, other.Engine), ("scenario", Scenario, other.Scenario),
            ("variant", Variant, other.Variant), ("strategy", Strategy, other.Strategy), ("seed", Seed, other.Seed),
            ("iterations per job", IterationsPerJob, other.IterationsPerJob), ("time limit", TimeLimitSeconds, other.TimeLimitSeconds),
            ("cpus", Cpus, other.Cpus), ("last-pkmap", LastPkmap, other.LastPkmap), ("iteration block", IterationBlock, other.IterationBlock),
            ("jobs", string.Join(", ", Jobs), string.Join(", ", other.Jobs)),
        ];
        foreach (var (name, mine, theirs) in fields)
            if (!Equals(mine, theirs)) return $"{name}: {mine ?? "(none)"} vs {theirs ?? "(none)"}";
        return null;
    }
}

/// <summary>Which shard of how many a run was.</summary>
internal sealed record ShardSummary(int Number, int Count);

/// <summary>
/// One work unit a shard ran (the units that count: up to the first that ended its job in this shard), for the merge.
/// </summary>
internal sealed record UnitSummary(int Unit, int Job, int Slice, int FirstIteration, int IterationBudget, int Iterations, long Steps,
    double ElapsedSeconds, string Stop, long? Interleavings, UnitBugSummary? Bug)
{
    public static UnitSummary From(UnitResult r, string? tracePath) =>
        new(r.Unit.Index, r.Unit.Job, r.Unit.SliceIndex, r.Unit.FirstIteration, r.Unit.Iterations, r.Iterations, r.Steps,
            TestSummary.Seconds(r.Elapsed), r.Stop.ToString(), r.Interleavings,
            r.Bug is { } b ? new UnitBugSummary(b.Kind.ToString(), b.Message, b.Iteration, tracePath) : null);
}

/// <summary>A unit's bug; <paramref name="Trace"/> is set for the bug its job reported in the shard.</summary>
internal sealed record UnitBugSummary(string Kind, string Message, int Iteration, string? Trace);
