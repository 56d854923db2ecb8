using System.Text.Json;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Campaigns;

/// <summary>A shard's summary and the file it came from.</summary>
/// <param name="Path">The summary file.</param>
/// <param name="Summary">What it says.</param>
internal sealed record ShardRun(string Path, TestSummary Summary)
{
    /// <summary>Which shard of how many it was.</summary>
    public ShardSummary Shard => Summary.Shard!;
}

/// <summary>
/// The merge of a sharded campaign (<c>hmc merge</c>): checks that shard summaries are every shard of one campaign, plans that campaign again from its
/// identity, and assembles each job from its units as a serial run would (<see cref="JobAssembly"/>): in campaign
/// order up to the first unit that ends the job, skipping, in the self-check, a variant's scenarios after the one that
/// found it. The bug of each job is replayed from its shard's trace (which must give that trace back byte for byte)
/// and the trace is copied under the merge's output. Anything inconsistent is a <see cref="CampaignException"/>.
/// </summary>
internal static class ShardMerge
{
    private const string SummaryPattern = "*_summary-test.json";

    /// <summary>Every <c>hmc test</c> summary in <paramref name="directories"/>; each must be a finished shard's.</summary>
    public static IReadOnlyList<ShardRun> Read(IReadOnlyList<string> directories)
    {
        var runs = new List<ShardRun>();
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory)) throw new CampaignException($"{directory}: no such directory");
            var files = Directory.GetFiles(directory, SummaryPattern).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new CampaignException($"{directory}: no hmc test summary ({SummaryPattern}) in it");
            runs.AddRange(files.Select(ReadOne));
        }
        return runs;
    }

    private static ShardRun ReadOne(string path)
    {
        TestSummary? summary;
        try
        {
            summary = JsonOutput.Deserialize<TestSummary>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new CampaignException($"{path}: malformed summary: {e.Message.ReplaceLineEndings(" ")}");
        }
        if (summary is null || summary.Format != TestSummary.FormatId)
            throw new CampaignException($"{path}: malformed summary: format is not {TestSummary.FormatId}");
        if (summary.Campaign is null || summary.Shard is null || summary.Units is null)
            throw new CampaignException($"{path}: not a shard's summary (run hmc test --shard K/N)");
        if (summary.Error is not null || summary.Canceled)
            throw new CampaignException($"{path}: shard {summary.Shard.Number}/{summary.Shard.Count} did not finish ({summary.Error ?? "canceled"}); run it again");
        return new ShardRun(path, summary);
    }

    /// <summary>The campaign the shards add up to, as an unsharded run would have reported it; its bugs' traces are written to <paramref name="output"/>.</summary>
    public static MergedCampaign Merge(ICatalog catalog, IReadOnlyList<ShardRun> shards, RunOutput output)
    {
        var first = shards[0];
        var identity = first.Summary.Campaign!;
        foreach (var other in shards.Skip(1))
        {
            if (identity.Difference(other.Summary.Campaign!) is { } difference)
                throw new CampaignException($"{other.Path} is from a different campaign than {first.Path} ({difference})");
            if (other.Shard.Count != first.Shard.Count)
                throw new CampaignException($"{other.Path} is shard {other.Shard.Number}/{other.Shard.Count} but {first.Path} is of {first.Shard.Count} shards");
        }
        var count = first.Shard.Count;
        if (shards.GroupBy(s => s.Shard.Number).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new CampaignException($"duplicate shard {twice.Key}/{count}: {string.Join(", ", twice.Select(s => s.Path))}");
        var missing = Enumerable.Range(1, count).Except(shards.Select(s => s.Shard.Number)).ToList();
        if (missing.Count > 0) throw new CampaignException($"missing shard(s) {string.Join(", ", missing)} of {count}");
        if (identity.Tool != ToolInfo.NameAndVersion)
            throw new CampaignException($"the shards were run by {identity.Tool}; merge them with that version (this is {ToolInfo.NameAndVersion})");

        var request = identity.ToRequest();
        var plan = TestPlanner.Plan(catalog, request);
        if (CampaignIdentity.Of(plan, request).Difference(identity) is { } changed)
            throw new CampaignException($"this tool plans the campaign differently from the shards ({changed})");
        var units = CampaignUnits.Of(plan, request);
        var results = Results(shards, units, count);

        var outcomes = new List<JobOutcome>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (job, index) in plan.Jobs.Select((j, i) => (j, i)))
        {
            if (plan.Mode == TestMode.SelfCheck && job.Variant is { } v && found.Contains(v.Name)) continue;
            if (job.Rejected is not null)
            {
                outcomes.Add(new JobOutcome(job, [], null, null));
                continue;
            }
            var counted = new List<UnitResult>();
            string? tracePath = null;
            foreach (var unit in units.Where(u => u.Job == index))
            {
                var owner = shards.First(s => s.Shard.Number == unit.Index % count + 1);
                if (!results.TryGetValue(unit.Index, out var summary))
                    throw new CampaignException($"{owner.Path}: no result for unit {unit.Index} ({job.Label}, iterations {unit.FirstIteration}+), which the merge needs");
                var result = ToResult(unit, summary, owner.Path);
                if (summary.Bug is { } bug)
                {
                    var replayed = Replay(job, bug, owner.Path);
                    result = result with { Bug = replayed };
                    tracePath = output.WriteTrace(replayed.TraceJson, stamp => TraceFileNamer.TraceName(stamp, index + 1, job.Scenario.Name,
                        job.Parameters.Variant, replayed.Kind, unit.Slice.Strategy, unit.Slice.Seed, replayed.Iteration));
                }
                counted.Add(result);
                if (result.EndsJob) break;
            }
            var outcome = JobAssembly.Outcome(job, counted, tracePath);
            outcomes.Add(outcome);
            if (outcome.FoundAsExpected) found.Add(job.Variant!.Name);
        }
        return new MergedCampaign(plan, request, outcomes, shards.Min(s => s.Summary.StartedAt),
            TimeSpan.FromSeconds(shards.Max(s => s.Summary.ElapsedSeconds)));
    }

    /// <summary>Every unit result by unit index, each checked to be the campaign's unit and its shard's to run.</summary>
    private static Dictionary<int, UnitSummary> Results(IReadOnlyList<ShardRun> shards, IReadOnlyList<WorkUnit> units, int count)
    {
        var results = new Dictionary<int, UnitSummary>();
        foreach (var shard in shards)
        {
            foreach (var u in shard.Summary.Units!)
            {
                if (u is null || u.Unit < 0 || u.Unit >= units.Count || u.Unit % count != shard.Shard.Number - 1)
                    throw new CampaignException($"{shard.Path}: malformed summary: unit {u?.Unit} is not one of shard {shard.Shard.Number}/{count}'s");
                var unit = units[u.Unit];
                if (u.Job != unit.Job || u.Slice != unit.SliceIndex || u.FirstIteration != unit.FirstIteration || u.IterationBudget != unit.Iterations)
                    throw new CampaignException($"{shard.Path}: malformed summary: unit {u.Unit} does not match the campaign's");
                if (!results.TryAdd(u.Unit, u)) throw new CampaignException($"{shard.Path}: malformed summary: unit {u.Unit} appears twice");
            }
        }
        return results;
    }

    private static UnitResult ToResult(WorkUnit unit, UnitSummary summary, string path)
    {
        if (!Enum.TryParse<JobStop>(summary.Stop, out var stop) || summary.Iterations < 0 || summary.Iterations > unit.Iterations
            || (summary.Bug is null) == (stop == JobStop.BugFound))
            throw new CampaignException($"{path}: malformed summary: unit {unit.Index} (stop '{summary.Stop}', {summary.Iterations} iterations)");
        return new UnitResult(unit, summary.Iterations, summary.Steps, TimeSpan.FromSeconds(summary.ElapsedSeconds), stop, summary.Interleavings, null,
            summary.Coverage);
    }

    /// <summary>The shard's bug, replayed from its trace under its own iteration number: it must give the trace back.</summary>
    private static BugReport Replay(TestJob job, UnitBugSummary bug, string summaryPath)
    {
        if (bug.Trace is null) throw new CampaignException($"{summaryPath}: malformed summary: the bug of {job.Label} names no trace");
        // The shard may have run elsewhere: its trace is looked for next to its summary.
        var path = Path.Combine(Path.GetDirectoryName(summaryPath)!, Path.GetFileName(bug.Trace));
        if (!File.Exists(path)) throw new CampaignException($"{summaryPath}: the trace of {job.Label}'s bug is missing: {path}");
        var json = File.ReadAllText(path);
        TestReport report;
        try
        {
            report = CampaignEngines.Find(ScheduleTrace.Parse(json).Engine)
                .Replay(job.Scenario.CreateTest(job.Parameters), json, new TestOptions { FirstIteration = bug.Iteration });
        }
        catch (Exception e) when (e is TraceException or ArgumentException or CampaignException)
        {
            throw new CampaignException($"{path}: {e.Message.ReplaceLineEndings(" ")}");
        }
        if (report.Bug is not { } replayed || replayed.TraceJson != json)
            throw new CampaignException($"{path}: does not reproduce the bug its shard reported");
        return replayed;
    }
}
