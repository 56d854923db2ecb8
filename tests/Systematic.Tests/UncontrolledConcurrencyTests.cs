using System.Collections.Concurrent;

namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// A controlled thread that blocks outside the engine is reported, and the harness carries on. Each test lets the
/// thread it abandoned go and joins that OS thread before it ends or starts another run, so no test (and no later
/// run) shares the process with a runaway thread of an earlier one.
/// </summary>
public sealed class UncontrolledConcurrencyTests
{
    private const string Abandoned =
        " ran for 1000 ms without reaching a scheduling point: it blocked or spun outside the engine's primitives (a real " +
        "lock, Monitor.Wait, Thread.Sleep, a Task, I/O). Its last operation was step ";

    private const string CarriedOn = "; the thread was abandoned and the run carried on with fresh threads";

    private static readonly TimeSpan JoinBound = TimeSpan.FromMinutes(1);   // a failure bound, not a synchronisation

    private static readonly TestOptions Options = new()
    {
        Strategy = "random",
        Iterations = 50,
        UncontrolledTimeout = TimeSpan.FromSeconds(1),   // long beside a step, short for a test
    };

    /// <summary>The OS threads that entered an uncontrolled wait, to be joined once the wait is released.</summary>
    private sealed class Runaways
    {
        private readonly ConcurrentBag<Thread> _threads = [];

        public void Enter() => _threads.Add(Thread.CurrentThread);

        public void JoinAll()
        {
            Assert.NotEmpty(_threads);
            foreach (var t in _threads) Assert.True(t.Join(JoinBound), $"the abandoned thread '{t.Name}' never exited");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> (whose threads call <see cref="Runaways.Enter"/> before blocking outside the
    /// engine), then <paramref name="release"/>s them whatever happened, joins them, and returns the one bug: an
    /// uncontrolled-concurrency report in the first iteration.
    /// </summary>
    private static BugReport RunAndRelease(Action<Runaways> body, Action release)
    {
        var runaways = new Runaways();
        BugReport? bug;
        try
        {
            bug = SystematicTest.Run(() => body(runaways), Options).Bug;
        }
        finally
        {
            release();
        }
        runaways.JoinAll();
        Assert.NotNull(bug);
        Assert.Equal(BugKind.UncontrolledConcurrency, bug.Kind);
        Assert.Equal(1, bug.Iteration);
        return bug;
    }

    [Fact]
    public void ThreadBlockedOnARealMonitor_IsReported_AndTheNextRunStillWorks()
    {
        var monitor = new object();
        var released = false;
        var bug = RunAndRelease(runaways =>
        {
            var x = new SimAtomic(0, "x");
            var blocker = Sim.Start("blocker", () =>
            {
                x.Add(1);
                runaways.Enter();
                lock (monitor)
                    while (!released) Monitor.Wait(monitor);   // uncontrolled: the engine cannot see this wait
            });
            x.Add(1);
            blocker.Join();
        }, () =>
        {
            lock (monitor)
            {
                released = true;
                Monitor.PulseAll(monitor);
            }
        });

        // T1's last operation is its x.Add(1), after which it blocks holding the turn. Steps count from main's start
        // (1); under the default seed main's Sim.Start (2), add (3) and Join (4) come first, so T1's add is step 5.
        Assert.Equal($"T1 'blocker'{Abandoned}5 (AtomicAdd){CarriedOn}", bug.Message);

        var next = SystematicTest.Run(TextbookPrograms.Counter(locked: true), new TestOptions { Strategy = "random", Iterations = 200 });
        Assert.Null(next.Bug);
        Assert.Equal(200, next.IterationsRun);
    }

    [Fact]
    public void TestBodyBlockedOnARealEvent_IsReported()
    {
        using var gate = new ManualResetEventSlim(false);
        var bug = RunAndRelease(runaways =>
        {
            runaways.Enter();
            gate.Wait();
        }, gate.Set);

        // The body blocks before any operation of its own: its last one is its start, step 1.
        Assert.Equal($"T0 'main'{Abandoned}1 (Start){CarriedOn}", bug.Message);
    }

    [Fact]
    public void AbandonedThreadComingBack_DoesNotDisturbLaterRuns()
    {
        using var gate = new ManualResetEventSlim(false);
        var shared = new SimAtomic(0, "shared");
        // RunAndRelease returns only once the abandoned thread is back and has exited, so that the next run tests
        // what coming back did.
        var bug = RunAndRelease(runaways =>
        {
            runaways.Enter();
            gate.Wait();          // abandoned here ...
            shared.Add(100);      // ... and when it comes back its next primitive unwinds it
        }, gate.Set);

        Assert.Equal($"T0 'main'{Abandoned}1 (Start){CarriedOn}", bug.Message);
        Assert.Equal(0, shared.Peek);
        var next = SystematicTest.Run(() => Sim.Assert(shared.Load() == 0, "abandoned thread wrote"), new TestOptions { Iterations = 20 });
        Assert.Null(next.Bug);
    }

    [Fact]
    public void WaitUntilConditionThatBlocks_IsReported_NotAHang()
    {
        using var gate = new ManualResetEventSlim(false);
        var bug = RunAndRelease(runaways =>
        {
            var t = Sim.Start("waiter", () => Sim.WaitUntil(() =>
            {
                runaways.Enter();
                return gate.Wait(Timeout.Infinite);
            }, "the gate opens"));
            t.Join();
        }, gate.Set);

        // main starts (1) and starts the waiter (2); the waiter's WaitUntil (3) evaluates the condition, which blocks.
        Assert.Equal($"T1 'waiter'{Abandoned}3 (WaitUntil){CarriedOn}", bug.Message);
    }

    /// <summary>
    /// The watchdog measures time without progress, not the iteration's length: an iteration that reaches a scheduling
    /// point every few milliseconds may run for several timeouts, and a thread may be busy between two points for
    /// most of one, without a report. (The bounds are wide: a report would need a single gap of a whole second.)
    /// </summary>
    [Fact]
    public void ASlowIterationThatKeepsReachingSchedulingPoints_IsNotReported()
    {
        var options = new TestOptions { Strategy = "random", Iterations = 1, UncontrolledTimeout = TimeSpan.FromSeconds(1) };
        var report = SystematicTest.Run(() =>
        {
            var busy = System.Diagnostics.Stopwatch.StartNew();
            while (busy.Elapsed < TimeSpan.FromSeconds(2.5))    // two and a half timeouts, in 5 ms pieces
            {
                Sim.Yield();
                Thread.Sleep(5);
            }
            Sim.Yield();
            Thread.Sleep(600);                                  // one quiet gap of most of a timeout
            Sim.Yield();
        }, options);
        Assert.True(report.Bug is null, report.Bug?.ToString());
    }

    /// <summary>Once the watchdog took over, the threads it hands the turn to unwind: the body does not go on.</summary>
    [Fact]
    public void AfterATakeover_TheOtherThreadsDoNotGoOn()
    {
        using var gate = new ManualResetEventSlim(false);
        var wentOn = false;
        var bug = RunAndRelease(runaways =>
        {
            var blocker = Sim.Start("blocker", () =>
            {
                runaways.Enter();
                gate.Wait();
            });
            blocker.Join();
            wentOn = true;
        }, gate.Set);
        Assert.StartsWith("T1 'blocker'", bug.Message);
        Assert.False(wentOn, "the test body went on past the join of an abandoned thread");
    }
}
