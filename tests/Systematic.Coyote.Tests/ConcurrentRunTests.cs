namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>
/// Several <see cref="CoyoteTest.Run"/> calls at once in one process each give exactly what the same run gives alone.
/// </summary>
/// <remarks>
/// Why this holds, from Coyote 1.7.11's source (the NuGet package's nuspec names commit 4d2f9dd4 of
/// github.com/microsoft/coyote): every piece of state a run's iterations use belongs to its own objects or to its own
/// threads, and the few process-wide statics are either thread-safe and keyed per runtime or unused by us.
/// <list type="bullet">
/// <item>Each <c>TestingEngine</c> owns its scheduler, strategy, random generator and report; each iteration gets a
///   new <c>CoyoteRuntime</c> (Source/Test/SystematicTesting/TestingEngine.cs:200 <c>OperationScheduler.Setup</c>,
///   :382 <c>CoyoteRuntime.Create</c>) with its own lock, operation map and id counter
///   (Source/Core/Runtime/CoyoteRuntime.cs:306–327).</item>
/// <item><c>Operation.*</c>, <c>SchedulingPoint.*</c> and <c>RuntimeProvider.Current</c> find their runtime through
///   <c>CoyoteRuntime.Current</c> = a <c>[ThreadStatic]</c> field, else an <c>AsyncLocal</c>, else
///   <c>RuntimeProvider.Default</c> (CoyoteRuntime.cs:38–39, 49–50, 55–56; Operations/Operation.cs:23–194;
///   RuntimeProvider.cs:29). A controlled thread sets both when its operation starts (CoyoteRuntime.cs:2612–2618,
///   called from <c>OnStarted</c>, :1068), and our threads are new OS threads started from a controlled thread, so
///   the <c>AsyncLocal</c> flows into them with the execution context: no thread of one run resolves another run's
///   runtime. The fallback <c>Default</c> is replaced only by <c>CreateAndInstall</c> (RuntimeProvider.cs:44–51),
///   which only the actor runtime's public factory calls (Source/Actors/Runtime/RuntimeFactory.cs:40); the testing
///   engine uses the internal overload that installs nothing (RuntimeFactory.cs:47–50).</item>
/// <item>The executing operation and the "inside the scheduler's lock" flag are <c>[ThreadStatic]</c>
///   (CoyoteRuntime.cs:62–63; Runtime/SynchronizedSection.cs:19–20), and a thread belongs to one run.</item>
/// <item>Process-wide: the runtime map (RuntimeProvider.cs:19, a ConcurrentDictionary keyed by a fresh Guid per
///   runtime, CoyoteRuntime.cs:306); a count of controlled runtimes (CoyoteRuntime.cs:79, Interlocked at :332 and
///   :2762) read only by rewritten collection types (Source/Test/Rewriting/Types/Collections/Generic/*), which our
///   assemblies are not; the telemetry client (TestingEngine.cs:38, made under a lock in
///   Source/Test/Telemetry/TelemetryClient.cs:96–100, used only with telemetry on: we turn it off); an
///   <c>AppDomain.UnhandledException</c> handler per engine that only logs (TestingEngine.cs:191, 743–764); and the
///   fuzzing strategy's <c>AsyncLocal</c> (Source/Core/Testing/Fuzzing/FuzzingStrategy.cs:21), not used by the
///   interleaving strategies we run.</item>
/// </list>
/// Shared for real, but not state: the CPU. Coyote's hang monitor reports "potential deadlock" when a run makes no
/// step for <see cref="TestOptions.UncontrolledTimeout"/> of wall-clock time (CoyoteRuntime.cs:2041–2067), so runs
/// starved of CPU for that long would fail; the default 5 s is far from what these runs need.
/// </remarks>
public sealed class ConcurrentRunTests
{
    // Generous: alone, the whole set takes a few seconds on a loaded two-core machine.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private sealed record Job(string Name, Func<Action> Program, TestOptions Options);

    // Three runs that find their bug only after many clean iterations (so they overlap the others for most of their
    // time) and three that stay clean; each takes about a second alone.
    private static readonly Job[] Jobs =
    [
        new("lost update", () => Programs.OneIn(100, Programs.LostUpdate(locked: false), Programs.CleanCounter(2, 2)),
            new TestOptions { Strategy = "random", Iterations = 2000, Seed = 3 }),
        new("lock order", () => Programs.OneIn(10, Programs.LockOrder(), Programs.CleanCounter(2, 2)),
            new TestOptions { Strategy = "pct", Iterations = 2000, Seed = 5 }),
        new("race", () => Programs.OneIn(200, Programs.Race(), Programs.CleanCounter(2, 2)),
            new TestOptions { Strategy = "portfolio", Iterations = 2000, Seed = 8 }),
        new("locked counter", () => Programs.LostUpdate(locked: true), new TestOptions { Strategy = "pct", Iterations = 400, Seed = 13 }),
        new("clean counter", () => Programs.CleanCounter(threads: 3, increments: 2), new TestOptions { Strategy = "random", Iterations = 300, Seed = 21 }),
        new("clean counter, probabilistic", () => Programs.CleanCounter(threads: 2, increments: 3), new TestOptions { Strategy = "probabilistic", Iterations = 300, Seed = 34 }),
    ];

    [Fact]
    public void Runs_at_once_each_report_what_the_same_run_reports_alone()
    {
        var alone = Jobs.Select(j => CoyoteTest.Run(j.Program(), j.Options)).ToArray();
        Assert.Equal(3, alone.Count(r => r.Bug is not null));   // the set mixes buggy and clean runs

        var together = RunAtOnce(Jobs.Select(j => (Func<TestReport>)(() => CoyoteTest.Run(j.Program(), j.Options))).ToArray());

        for (var i = 0; i < Jobs.Length; i++) AssertSameRun(Jobs[i].Name, alone[i], together[i]);
    }

    /// <summary>Starts every run on its own thread at the same moment and waits for all of them, boundedly.</summary>
    internal static TestReport[] RunAtOnce(Func<TestReport>[] runs)
    {
        var results = new TestReport?[runs.Length];
        var errors = new Exception?[runs.Length];
        using var go = new ManualResetEventSlim();
        var threads = runs.Select((run, i) => new Thread(() =>
        {
            try
            {
                if (!go.Wait(Patience)) throw new TimeoutException("the start signal never came");
                results[i] = run();
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        }) { IsBackground = true, Name = $"concurrent run {i}" }).ToArray();
        foreach (var t in threads) t.Start();
        go.Set();
        for (var i = 0; i < threads.Length; i++)
            Assert.True(threads[i].Join(Patience), $"concurrent run {i} did not finish within {Patience.TotalMinutes} minutes");
        for (var i = 0; i < runs.Length; i++)
            Assert.True(errors[i] is null, $"concurrent run {i} threw {errors[i]}");
        return results.Select(r => r!).ToArray();
    }

    internal static void AssertSameRun(string name, TestReport alone, TestReport together)
    {
        Assert.True(alone.StopReason == together.StopReason, $"{name}: stopped for {together.StopReason}, alone for {alone.StopReason}");
        Assert.True(alone.IterationsRun == together.IterationsRun, $"{name}: {together.IterationsRun} iterations, alone {alone.IterationsRun}");
        Assert.True(alone.StepsExplored == together.StepsExplored, $"{name}: {together.StepsExplored} steps, alone {alone.StepsExplored}");
        Assert.True(alone.ThreadSwitches == together.ThreadSwitches, $"{name}: {together.ThreadSwitches} switches, alone {alone.ThreadSwitches}");
        if (alone.Bug is null)
        {
            Assert.True(together.Bug is null, $"{name}: found {together.Bug} at once, nothing alone");
            return;
        }
        var bug = together.Bug;
        Assert.True(bug is not null, $"{name}: found nothing at once, {alone.Bug} alone");
        Assert.Equal(alone.Bug.Kind, bug.Kind);
        Assert.Equal(alone.Bug.Iteration, bug.Iteration);
        Assert.Equal(alone.Bug.Message, bug.Message);
        Assert.Equal(alone.Bug.TraceJson, bug.TraceJson);
        Assert.Equal(alone.Bug.Interleaving, bug.Interleaving);
    }
}
