using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;

namespace HighMemConcurrency.HighMem.Tests.Stress;

/// <summary>
/// The stress driver never pulls a resource from under a thread that may still use it: a round the watchdog abandons
/// keeps a usable stop token, so its late threads cannot crash the process (the ObjectDisposedException that aborted
/// <c>hmc stress</c> when a starved thread first touched <c>stop.WaitHandle</c> after its round was given up).
/// </summary>
public sealed class StressDriverLifetimeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A round that never completes an operation until the test lets it go, and then, as a late-starting checker
    /// thread would, reads the stop token's wait handle; it records what that read did.
    /// </summary>
    private sealed class LateRound : IStressWorkload
    {
        public ManualResetEventSlim Release { get; } = new();

        public ManualResetEventSlim Done { get; } = new();

        public Exception? Error { get; private set; }

        public bool SawStop { get; private set; }

        public void RunRound(RunProbe probe, CancellationToken stop)
        {
            Release.Wait(Bound);
            try
            {
                SawStop = stop.WaitHandle.WaitOne(0);
            }
            catch (Exception e)
            {
                Error = e;
            }
            finally
            {
                Done.Set();
            }
        }
    }

    [Fact]
    public void A_round_the_watchdog_abandoned_can_still_wait_on_its_stop_token_after_the_run_returned()
    {
        var round = new LateRound();
        var options = new StressOptions { Duration = TimeSpan.FromSeconds(20), WatchdogTimeout = TimeSpan.FromMilliseconds(100) };

        var report = StressDriver.Run("late", round, new ScenarioParameters { Cpus = 1, TasksPerCpu = 1 }, options, CancellationToken.None);

        Assert.Equal("no operation completed for 0.1 s", report.HangReport);
        round.Release.Set();   // only now, after the driver returned, does the round touch its token
        Assert.True(round.Done.Wait(Bound), "the released round did not finish");
        Assert.Null(round.Error);
        Assert.True(round.SawStop, "the abandoned round's token was not cancelled");
    }
}
