namespace HighMemConcurrency.Campaigns;

/// <summary>What a job's and a run's results mean, in the words and exit codes the table and summary share.</summary>
public static class Verdict
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

    /// <summary>
    /// The process exit code of a finished or canceled run. A bug found before a cancel still says bug (1); a canceled
    /// run that found nothing is 130, never clean, and a canceled self-check did not check every variant.
    /// </summary>
    public static int ExitCode(TestPlan plan, IReadOnlyList<JobOutcome> outcomes, bool canceled) => plan.Mode switch
    {
        _ when plan.Mode != TestMode.SelfCheck && outcomes.Any(o => o.Bug is not null) => ExitCodes.BugFound,
        _ when canceled => ExitCodes.Canceled,
        TestMode.SelfCheck => SelfCheck(plan, outcomes).All(v => v.Finding is not null) ? ExitCodes.Clean : ExitCodes.BugFound,
        _ => ExitCodes.Clean,
    };

    /// <summary>One word for the run, matching <see cref="ExitCode"/>.</summary>
    public static string Outcome(TestPlan plan, IReadOnlyList<JobOutcome> outcomes, bool canceled) => ExitCode(plan, outcomes, canceled) switch
    {
        ExitCodes.Canceled => "canceled",
        ExitCodes.Clean => plan.Mode == TestMode.SelfCheck ? "self-check passed" : "clean",
        _ => plan.Mode == TestMode.SelfCheck ? "self-check failed" : "bug found",
    };
}
