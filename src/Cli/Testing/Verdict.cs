namespace HighMemConcurrency.Cli.Testing;

/// <summary>What a job's and a run's results mean, in the words and exit codes the table and summary share.</summary>
internal static class Verdict
{
    /// <summary>The result cell of a job.</summary>
    public static string Result(JobOutcome outcome)
    {
        if (outcome.Job.Rejected is { } reason) return $"not run: {reason}";
        var variant = outcome.Job.Variant;
        if (outcome.Bug is { } bug)
        {
            if (variant is null) return $"BUG {bug.Kind}";
            return bug.Kind == variant.ExpectedKind ? $"found {bug.Kind}" : $"found {bug.Kind}, expected {variant.ExpectedKind}";
        }
        if (outcome.Stop == JobStop.Exhausted && outcome.Slices[^1].Interleavings is { } traces)
            return $"verified: no bug in any of {traces} interleavings ({outcome.Slices[^1].Iterations} schedules)";
        var why = outcome.Stop switch
        {
            JobStop.Exhausted => "all schedules explored",
            JobStop.TimeLimit => "time limit",
            JobStop.Canceled => "canceled",
            _ => "budget",
        };
        return variant is null ? $"clean ({why})" : $"not found ({why})";
    }

    /// <summary>Per variant of a self-check: found as its expected kind by any of its jobs.</summary>
    public static IReadOnlyList<(string Variant, JobOutcome? Finding)> SelfCheck(TestPlan plan, IReadOnlyList<JobOutcome> outcomes) =>
        plan.Jobs.Select(j => j.Variant!.Name).Distinct().Select(name =>
            (name, outcomes.FirstOrDefault(o => o.Job.Variant?.Name == name && o.FoundAsExpected))).ToList();

    /// <summary>The process exit code of a finished (or canceled) run.</summary>
    public static int ExitCode(TestPlan plan, IReadOnlyList<JobOutcome> outcomes) => plan.Mode switch
    {
        TestMode.SelfCheck => SelfCheck(plan, outcomes).All(v => v.Finding is not null) ? ExitCodes.Clean : ExitCodes.BugFound,
        _ => outcomes.Any(o => o.Bug is not null) ? ExitCodes.BugFound : ExitCodes.Clean,
    };

    /// <summary>One word for the run.</summary>
    public static string Outcome(TestPlan plan, IReadOnlyList<JobOutcome> outcomes) => plan.Mode switch
    {
        TestMode.SelfCheck => ExitCode(plan, outcomes) == ExitCodes.Clean ? "self-check passed" : "self-check failed",
        _ => outcomes.Any(o => o.Bug is not null) ? "bug found" : "clean",
    };
}
