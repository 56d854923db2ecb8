namespace HighMemConcurrency.Campaigns;

/// <summary>
/// What a campaign did and found, finished or not: each job's outcome (its bug with the trace that replays it), the
/// verdict and exit code, and the summary written as <c>hmc-test-summary/1</c>.
/// </summary>
public sealed class CampaignResult
{
    internal CampaignResult(TestPlan plan, CampaignRequest request, IReadOnlyList<JobOutcome> jobs, bool canceled, Exception? failure,
        int exitCode, TestSummary summary, RunOutput? output, string? summaryPath, TimeSpan elapsed, int? mergedShards = null)
    {
        Output = output;
        MergedShards = mergedShards;
        Plan = plan;
        Request = request;
        Jobs = jobs;
        Canceled = canceled;
        Failure = failure;
        ExitCode = exitCode;
        Summary = summary;
        SummaryPath = summaryPath;
        Elapsed = elapsed;
    }

    /// <summary>The jobs the campaign planned.</summary>
    public TestPlan Plan { get; }

    /// <summary>The request it ran.</summary>
    public CampaignRequest Request { get; }

    /// <summary>The outcome of every job that ran (or was refused), in plan order.</summary>
    public IReadOnlyList<JobOutcome> Jobs { get; }

    /// <summary>True when cancellation stopped the run before every job ran.</summary>
    public bool Canceled { get; }

    /// <summary>The tool's own failure, if it failed part-way (the jobs before it are still reported); null otherwise.</summary>
    public Exception? Failure { get; }

    /// <summary>
    /// <see cref="ExitCodes.Clean"/>, <see cref="ExitCodes.BugFound"/> (a self-check: a variant not found),
    /// <see cref="ExitCodes.Canceled"/> or <see cref="ExitCodes.InternalError"/>. A shard that ran its part is clean
    /// whatever it found: the merge gives the verdict.
    /// </summary>
    public int ExitCode { get; }

    /// <summary>The run in one word: <c>clean</c>, <c>bug found</c>, <c>self-check passed</c>, <c>self-check failed</c>, <c>canceled</c> or <c>error</c>.</summary>
    public string Outcome => Summary.Outcome;

    /// <summary>The bugs found, one per job that found one, in plan order.</summary>
    public IReadOnlyList<JobOutcome> Bugs => Jobs.Where(j => j.Bug is not null).ToList();

    /// <summary>The summary (<c>hmc-test-summary/1</c>); <see cref="JsonOutput.Serialize{T}"/> gives its JSON.</summary>
    public TestSummary Summary { get; }

    /// <summary>Where the traces and the summary were written, or null when no output was given.</summary>
    public RunOutput? Output { get; }

    /// <summary>For a merge (<see cref="Campaign.Merge"/>): how many shards it joined; null for a run.</summary>
    public int? MergedShards { get; }

    /// <summary>The summary's file under <see cref="Output"/>, or null when no output was given.</summary>
    public string? SummaryPath { get; }

    /// <summary>Wall-clock time of the run (for a merge: the longest shard's).</summary>
    public TimeSpan Elapsed { get; }
}
