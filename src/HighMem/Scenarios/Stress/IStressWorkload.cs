
namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// What a scenario family hands the native <see cref="StressDriver"/>: the work of one round, which lasts the run
/// unless a violation ends it early (pkmap: <c>PkmapStressWorkload</c>; temporary and vmalloc: <c>TemporaryScenario</c>'s).
/// </summary>
internal interface IStressWorkload
{
    /// <summary>
    /// Runs one round on the calling (driver) thread: builds a fresh machine and announces it with
    /// <see cref="RunProbe.BeginRound(Kernel.Machine)"/>, starts tasks that loop over the scenario's operations until
    /// <paramref name="stop"/> is cancelled (each completing at least one; a task that completes none for the watchdog
    /// timeout is a hang), records each completed operation, map-call latency, invariant check and violation on
    /// <paramref name="probe"/>, and returns once its tasks have stopped. An exception is a violation of the round.
    /// </summary>
    void RunRound(RunProbe probe, CancellationToken stop);
}
