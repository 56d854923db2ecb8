namespace HighMemConcurrency.Campaigns;

/// <summary>Shows a run's progress: live on a terminal, plain lines when redirected.</summary>
public interface IRunProgress
{
    /// <summary>A job starts; <paramref name="timeShare"/> is its share of the time limit, if any.</summary>
    IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare);
}

/// <summary>The progress of one job.</summary>
public interface IJobProgress
{
    /// <summary>Iterations done so far in the job, with its elapsed time; called from the engine's thread.</summary>
    void Update(int iterations, TimeSpan elapsed);

    /// <summary>The job ended.</summary>
    void Finish(JobOutcome outcome);
}

/// <summary>Progress that shows nothing, for a campaign run without a display.</summary>
public sealed class NoProgress : IRunProgress, IJobProgress
{
    private NoProgress()
    {
    }

    /// <summary>The one instance.</summary>
    public static NoProgress Instance { get; } = new();

    /// <inheritdoc />
    public IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare) => this;

    /// <inheritdoc />
    public void Update(int iterations, TimeSpan elapsed)
    {
    }

    /// <inheritdoc />
    public void Finish(JobOutcome outcome)
    {
    }
}
