namespace HighMemConcurrency.Campaigns;

/// <summary>
/// How a campaign is run, which never changes what it finds: worker threads, the shard this process runs, where its
/// files go and who watches its progress.
/// </summary>
public sealed record CampaignRunOptions
{
    /// <summary>
    /// Worker threads running work units at once (default 1). Whatever the number, the outcomes and traces are those
    /// of the serial run over the same iterations.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>The shard of the campaign this process runs, or null for the whole campaign.</summary>
    public Shard? Shard { get; init; }

    /// <summary>
    /// Where traces (written as each bug is found) and the JSON summary go; null writes no file, and the bugs'
    /// traces are then only in the result (<see cref="JobOutcome.Bug"/>).
    /// </summary>
    public RunOutput? Output { get; init; }

    /// <summary>Who is told as jobs start, advance and finish (default: nobody).</summary>
    public IRunProgress Progress { get; init; } = NoProgress.Instance;

    /// <summary>The clock of elapsed times, time limits and the summary's start time.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
