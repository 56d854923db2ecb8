
namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>What a scenario hands the native <see cref="StressDriver"/>: the work of one round.</summary>
internal interface IStressWorkload
{
    /// <summary>
    /// True when the round's tasks loop until told to stop (one round lasts the run), so a single task that
    /// completes no operation for the watchdog timeout is a hang; otherwise only a round with no progress at all is.
    /// </summary>
    bool WatchEachTask { get; }

    /// <summary>
    /// Runs one round on the calling (driver) thread: builds a fresh machine and announces it with
    /// <see cref="RunProbe.BeginRound(Kernel.Machine)"/>, records each completed operation, kmap latency, invariant
    /// check and violation on <paramref name="probe"/>, and returns when its work is done or, once
    /// <paramref name="stop"/> is cancelled, when its tasks have stopped. An exception is a violation of the round.
    /// </summary>
    void RunRound(RunProbe probe, CancellationToken stop);
}
