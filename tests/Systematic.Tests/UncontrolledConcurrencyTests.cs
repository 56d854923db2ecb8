namespace HighMemConcurrency.Systematic.Tests;

/// <summary>A controlled thread that blocks outside the engine is reported, and the harness carries on.</summary>
public sealed class UncontrolledConcurrencyTests
{
    private static readonly TestOptions Options = new()
    {
        Strategy = "random",
        Iterations = 50,
        UncontrolledTimeout = TimeSpan.FromSeconds(1),   // long beside a step, short for a test
    };

    [Fact]
    public void ThreadBlockedOnARealMonitor_IsReported_AndTheNextRunStillWorks()
    {
        var monitor = new object();
        var released = false;
        try
        {
            var report = SystematicTest.Run(() =>
            {
                var x = new SimAtomic(0, "x");
                var blocker = Sim.Start("blocker", () =>
                {
                    x.Add(1);
                    lock (monitor)
                        while (!released) Monitor.Wait(monitor);   // uncontrolled: the engine cannot see this wait
                });
                x.Add(1);
                blocker.Join();
            }, Options);

            Assert.Equal(BugKind.UncontrolledConcurrency, report.Bug?.Kind);
            Assert.Equal(1, report.Bug!.Iteration);
            Assert.StartsWith("T1 'blocker' ran for 1000 ms without reaching a scheduling point", report.Bug.Message);

            var next = SystematicTest.Run(TextbookPrograms.Counter(locked: true), new TestOptions { Strategy = "random", Iterations = 200 });
            Assert.Null(next.Bug);
            Assert.Equal(200, next.IterationsRun);
        }
        finally
        {
            lock (monitor)
            {
                released = true;
                Monitor.PulseAll(monitor);   // let the abandoned OS thread go; it exits without touching anything
            }
        }
    }

    [Fact]
    public void TestBodyBlockedOnARealEvent_IsReported()
    {
        using var gate = new ManualResetEventSlim(false);
        try
        {
            var report = SystematicTest.Run(() => gate.Wait(), Options);
            Assert.Equal(BugKind.UncontrolledConcurrency, report.Bug?.Kind);
            Assert.StartsWith("T0 'main'", report.Bug!.Message);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public void AbandonedThreadComingBack_DoesNotDisturbLaterRuns()
    {
        using var gate = new ManualResetEventSlim(false);
        using var back = new ManualResetEventSlim(false);
        var shared = new SimAtomic(0, "shared");
        var report = SystematicTest.Run(() =>
        {
            try
            {
                gate.Wait();          // abandoned here ...
                shared.Add(100);      // ... and when it comes back its next primitive unwinds it
            }
            finally
            {
                back.Set();
            }
        }, Options);
        Assert.Equal(BugKind.UncontrolledConcurrency, report.Bug?.Kind);
        gate.Set();
        // The next run starts only once the abandoned thread is back and unwound, so that it tests what coming back did.
        Assert.True(back.Wait(TimeSpan.FromMinutes(1)), "the abandoned thread never came back");
        var next = SystematicTest.Run(() => Sim.Assert(shared.Load() == 0, "abandoned thread wrote"), new TestOptions { Iterations = 20 });
        Assert.Null(next.Bug);
    }

    [Fact]
    public void WaitUntilConditionThatBlocks_IsReported_NotAHang()
    {
        using var gate = new ManualResetEventSlim(false);
        try
        {
            var report = SystematicTest.Run(() =>
            {
                var t = Sim.Start("waiter", () => Sim.WaitUntil(() => gate.Wait(Timeout.Infinite), "the gate opens"));
                t.Join();
            }, Options);
            Assert.Equal(BugKind.UncontrolledConcurrency, report.Bug?.Kind);
        }
        finally
        {
            gate.Set();
        }
    }
}
