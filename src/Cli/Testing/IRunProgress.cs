namespace HighMemConcurrency.Cli.Testing;

/// <summary>Shows a run's progress: live on a terminal, plain lines when redirected.</summary>
internal interface IRunProgress
{
    /// <summary>A job starts; <paramref name="timeShare"/> is its share of the time limit, if any.</summary>
    IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare);
}

/// <summary>The progress of one job.</summary>
internal interface IJobProgress
{
    /// <summary>Iterations done so far in the job, with its elapsed time; called from the engine's thread.</summary>
    void Update(int iterations, TimeSpan elapsed);

    /// <summary>The job ended.</summary>
    void Finish(JobOutcome outcome);
}
