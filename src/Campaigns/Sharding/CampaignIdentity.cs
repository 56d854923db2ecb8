using System.Globalization;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// What makes two runs parts of one campaign: the same tool, request and jobs. <see cref="ShardMerge"/> accepts shards
/// only when these are equal, and plans the campaign again from them.
/// </summary>
/// <param name="Tool">Tool name and version.</param>
/// <param name="Engine">hmc or coyote.</param>
/// <param name="Scenario">The scenario asked for, or null.</param>
/// <param name="Variant">The variant asked for, or null.</param>
/// <param name="Strategy">The strategy asked for, or null.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="IterationsPerJob">Iteration budget of each job.</param>
/// <param name="TimeLimitSeconds">The time limit, if any (a sharded campaign has none).</param>
/// <param name="Cpus">The CPU override, or null.</param>
/// <param name="LastPkmap">The LAST_PKMAP override, or null.</param>
/// <param name="IterationBlock">Iterations per work unit of the sampling strategies.</param>
/// <param name="Jobs">The planned jobs: scenario, variant and strategy of each, in order.</param>
/// <param name="TasksPerCpu">The tasks-per-CPU override, or null.</param>
/// <param name="Pages">The pages override, or null.</param>
/// <param name="OpsPerTask">The operations-per-task override, or null.</param>
/// <param name="MemoryModel">The memory model asked for, or null for each job's own (left out of the JSON, so campaigns without one read as before).</param>
public sealed record CampaignIdentity(string Tool, string Engine, string? Scenario, string? Variant, string? Strategy, string Seed,
    int IterationsPerJob, double? TimeLimitSeconds, int? Cpus, int? LastPkmap, int IterationBlock, IReadOnlyList<string> Jobs,
    int? TasksPerCpu = null, int? Pages = null, int? OpsPerTask = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? MemoryModel = null)
{
    /// <summary>The identity of <paramref name="plan"/> as planned from <paramref name="request"/>.</summary>
    public static CampaignIdentity Of(TestPlan plan, CampaignRequest request)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var o = request.Overrides;
        return new(ToolInfo.NameAndVersion, request.Engine, request.Scenario, request.Variant, request.Strategy,
            request.Seed.ToString(CultureInfo.InvariantCulture), request.Iterations,
            request.TimeLimit is { } t ? TestSummary.Seconds(t) : null, o.Cpus, o.LastPkmap, SystematicTest.IterationBlock,
            plan.Jobs.Select(j => $"{j.Scenario.Name} {j.Parameters.Variant} {j.Strategy}").ToList(), o.TasksPerCpu, o.Pages, o.OpsPerTask,
            request.MemoryModel is { } model ? MemoryModelNames.Name(model) : null);
    }

    /// <summary>The request this campaign was run with (the planner makes the same jobs from it).</summary>
    public CampaignRequest ToRequest() => new()
    {
        Scenario = Scenario,
        Variant = Variant,
        Strategy = Strategy,
        Iterations = IterationsPerJob,
        Seed = ulong.Parse(Seed, NumberStyles.None, CultureInfo.InvariantCulture),
        TimeLimit = TimeLimitSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
        Overrides = new ParameterOverrides(Cpus, TasksPerCpu, LastPkmap, Pages, OpsPerTask),
        Engine = Engine,
        MemoryModel = MemoryModel is null ? null
            : MemoryModelNames.Parse(MemoryModel) ?? throw new CampaignException($"unknown memory model '{MemoryModel}' (expected {MemoryModelNames.Valid})"),
    };

    /// <summary>The first field in which <paramref name="other"/> differs, as "name: this vs other"; null when equal.</summary>
    public string? Difference(CampaignIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        (string Name, object? Mine, object? Theirs)[] fields =
        [
            ("tool", Tool, other.Tool), ("engine", Engine, other.Engine), ("scenario", Scenario, other.Scenario),
            ("variant", Variant, other.Variant), ("strategy", Strategy, other.Strategy), ("seed", Seed, other.Seed),
            ("iterations per job", IterationsPerJob, other.IterationsPerJob), ("time limit", TimeLimitSeconds, other.TimeLimitSeconds),
            ("cpus", Cpus, other.Cpus), ("tasks-per-cpu", TasksPerCpu, other.TasksPerCpu), ("last-pkmap", LastPkmap, other.LastPkmap),
            ("pages", Pages, other.Pages), ("ops-per-task", OpsPerTask, other.OpsPerTask),
            ("iteration block", IterationBlock, other.IterationBlock), ("memory model", MemoryModel, other.MemoryModel),
            ("jobs", string.Join(", ", Jobs), string.Join(", ", other.Jobs)),
        ];
        foreach (var (name, mine, theirs) in fields)
            if (!Equals(mine, theirs)) return $"{name}: {mine ?? "(none)"} vs {theirs ?? "(none)"}";
        return null;
    }
}

/// <summary>Which shard of how many a run was.</summary>
/// <param name="Number">The shard's number, from 1.</param>
/// <param name="Count">How many shards the campaign has.</param>
public sealed record ShardSummary(int Number, int Count);

/// <summary>
/// One work unit a shard ran (the units that count: up to the first that ended its job in this shard), for the merge.
/// </summary>
/// <param name="Unit">The unit's index in the campaign.</param>
/// <param name="Job">Its job's index in the plan.</param>
/// <param name="Slice">Its slice's index in the job.</param>
/// <param name="FirstIteration">The slice's first iteration it ran.</param>
/// <param name="IterationBudget">How many iterations it was to run.</param>
/// <param name="Iterations">How many it ran.</param>
/// <param name="Steps">Scheduling steps over those.</param>
/// <param name="ElapsedSeconds">Its wall-clock time.</param>
/// <param name="Stop">Why it stopped (<see cref="JobStop"/>).</param>
/// <param name="Interleavings">Distinct interleavings, when the strategy counts them.</param>
/// <param name="Bug">Its bug, or null.</param>
/// <param name="Coverage">Per model event, its iterations that reached it (for the merged job's coverage).</param>
public sealed record UnitSummary(int Unit, int Job, int Slice, int FirstIteration, int IterationBudget, int Iterations, long Steps,
    double ElapsedSeconds, string Stop, long? Interleavings, UnitBugSummary? Bug, IReadOnlyDictionary<string, int>? Coverage = null)
{
    /// <summary>The summary of <paramref name="r"/>; <paramref name="tracePath"/> names the trace of its bug when its job reported it.</summary>
    public static UnitSummary From(UnitResult r, string? tracePath)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Unit.Index, r.Unit.Job, r.Unit.SliceIndex, r.Unit.FirstIteration, r.Unit.Iterations, r.Iterations, r.Steps,
            TestSummary.Seconds(r.Elapsed), r.Stop.ToString(), r.Interleavings,
            r.Bug is { } b ? new UnitBugSummary(b.Kind.ToString(), b.Message, b.Iteration, tracePath) : null,
            r.Coverage ?? new Dictionary<string, int>());
    }
}

/// <summary>A unit's bug; <paramref name="Trace"/> is set for the bug its job reported in the shard.</summary>
/// <param name="Kind">The bug's kind.</param>
/// <param name="Message">Its message.</param>
/// <param name="Iteration">The slice iteration that found it.</param>
/// <param name="Trace">The trace file, or null.</param>
public sealed record UnitBugSummary(string Kind, string Message, int Iteration, string? Trace);
