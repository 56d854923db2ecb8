using System.Text.Json.Nodes;
using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>
/// The Coyote engine's side of the contract: its options and strategies mean what they say (a fair strategy lets a
/// correct spin-wait finish, a step bound past Coyote's own default still reports a livelock, seeds wider than Coyote's
/// 32 bits are folded), its threads are what the reports name, a Coyote failure is said in our words, and a replay
/// refuses a trace that is not one, one that another engine wrote, and one whose recorded bug does not come back.
/// </summary>
public sealed class CoyoteContractTests
{
    /// <summary>One thread spins on a flag another sets: correct, but only a fair scheduler lets it finish.</summary>
    private static readonly Action SpinWait = () =>
    {
        var flag = new SimAtomic(0, "flag");
        var t = Sim.Start("setter", () => flag.Store(1));
        while (flag.Load() == 0) Sim.Yield();
        t.Join();
    };

    [Theory]
    [InlineData("pct-fair")]
    [InlineData("portfolio")]
    public void AFairStrategy_LetsACorrectSpinWaitFinish(string strategy)
    {
        var finished = 0;
        var report = CoyoteTest.Run(() =>
        {
            SpinWait();
            finished++;
        }, new TestOptions { Strategy = strategy, Iterations = 50, Seed = 1, MaxSteps = 2000 });
        Assert.True(report.Bug is null, report.ToString());
        Assert.Equal(50, finished);      // every iteration ran to its end: none was cut short silently
    }

    [Theory]
    [InlineData("pct")]
    [InlineData("delay-bounding")]
    public void AnUnfairStrategy_ReportsTheSameSpinWaitAsALivelock(string strategy)
    {
        var report = CoyoteTest.Run(SpinWait, new TestOptions { Strategy = strategy, Iterations = 50, Seed = 1, MaxSteps = 2000 });
        Assert.Equal(BugKind.Livelock, report.Bug?.Kind);
    }

    /// <summary>Coyote's own step bound, which would end an iteration silently, lies past ours however large.</summary>
    [Fact]
    public void AStepBoundBeyondCoyotesDefault_StillReportsALivelock()
    {
        var report = CoyoteTest.Run(Programs.Spinner(), new TestOptions { Strategy = "random", Iterations = 1, Seed = 1, MaxSteps = 5000 });
        Assert.Equal(BugKind.Livelock, report.Bug?.Kind);
        Assert.StartsWith("livelock: the iteration exceeded 5000 steps", report.Bug!.Message);
    }

    [Fact]
    public void ASeedWiderThan32Bits_IsFoldedIntoCoyotesSeed()
    {
        Assert.Equal(7u, CoyoteEngine.Seed32(7));
        Assert.Equal(3u, CoyoteEngine.Seed32(0x1_0000_0002UL));
        Assert.Equal(0xFFFF_FFFEu, CoyoteEngine.Seed32(0x0000_0001_FFFF_FFFFUL));
    }

    [Fact]
    public void EachControlledThread_IsABackgroundOsThreadNamedAfterItsLabel()
    {
        string? name = null;
        var background = false;
        var report = CoyoteTest.Run(() =>
        {
            var t = Sim.Start("child", () =>
            {
                name = Thread.CurrentThread.Name;
                background = Thread.CurrentThread.IsBackground;
            });
            t.Join();
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "random", Iterations = 1, Seed = 1 });
        Assert.Equal("T1 'child'", name);
        Assert.True(background, "a controlled thread would keep the process alive");
        Assert.Contains(report.Bug!.Steps, s => s.ThreadId == 0 && s.Operation == "Start(T1)");
    }

    [Fact]
    public void APrimitiveInsideAWaitUntilCondition_IsAnError()
    {
        var report = CoyoteTest.Run(() =>
        {
            var a = new SimAtomic();
            var t = Sim.Start("waiter", () => Sim.WaitUntil(() => a.Load() == 1, "a is 1"));
            a.Store(1);
            t.Join();
        }, new TestOptions { Strategy = "random", Iterations = 10, Seed = 1 });
        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.Contains("cannot be used inside a WaitUntil condition", report.Bug!.Message);
    }

    [Theory]
    [InlineData("Potential deadlock or hang detected", BugKind.UncontrolledConcurrency,
        "the test body ran for 1000 ms without reaching a scheduling point")]
    [InlineData("Deadlock detected. Op(2) is paused.", BugKind.Deadlock, "deadlock: Deadlock detected. Op(2) is paused.")]
    [InlineData("Exception 'X' was thrown in Coyote", BugKind.UnhandledException, "Coyote reported: Exception 'X' was thrown in Coyote")]
    public void ACoyoteFailure_IsSaidInOurWords_AndDoesNotReplaceAnEarlierBug(string text, BugKind kind, string start)
    {
        var options = new TestOptions { UncontrolledTimeout = TimeSpan.FromSeconds(1) };
        var execution = new CoyoteExecution(options, 1, new StepLog(), new Causality(), null!);
        execution.OnCoyoteFailure(text);
        Assert.Equal(kind, execution.BugKind);
        Assert.StartsWith(start, execution.BugMessage);
        execution.OnCoyoteFailure("Deadlock detected. later");
        Assert.Equal(kind, execution.BugKind);
    }

    [Fact]
    public void NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => CoyoteTest.Run(null!, new TestOptions()));
        Assert.Throws<ArgumentNullException>(() => CoyoteTest.Run(() => { }, null!));
        Assert.Throws<ArgumentNullException>(() => CoyoteTest.Replay(null!, "{}"));
        Assert.Throws<ArgumentNullException>(() => CoyoteToolIteration.Run(null!));
    }

    [Fact]
    public void BadOptions_AreRefusedBeforeAnythingRuns()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoyoteTest.Run(() => { }, new TestOptions { Strategy = "random", Iterations = 0 }));
        var bug = Found();
        Assert.Throws<ArgumentOutOfRangeException>(() => CoyoteTest.Replay(Programs.LostUpdate(false), bug.TraceJson, new TestOptions { UncontrolledTimeout = TimeSpan.Zero }));
    }

    private static BugReport Found() =>
        CoyoteTest.Run(Programs.LostUpdate(false), new TestOptions { Strategy = "random", Iterations = 500, Seed = 3 }).Bug!;

    private static string Edit(string traceJson, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(traceJson)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    /// <summary>Coyote's own reproducible trace, embedded under the engine's name.</summary>
    private static JsonObject CoyoteTrace(JsonObject root) => root[CoyoteTest.EngineName]!.AsObject();

    [Theory]
    [InlineData("Steps")]
    [InlineData("Settings")]
    public void ACoyoteTraceWithoutItsParts_IsAFormatErrorNamingThePart(string part)
    {
        var broken = Edit(Found().TraceJson, root =>
        {
            var coyote = CoyoteTrace(root);
            coyote.Remove(part);
        });
        var e = Assert.Throws<TraceFormatException>(() => CoyoteTest.Replay(Programs.LostUpdate(false), broken));
        Assert.Equal($"coyote.{part}", e.Field);
    }

    [Theory]
    [InlineData("Steps")]
    [InlineData("Settings")]
    public void ACoyoteTracePartOfTheWrongKind_IsAFormatErrorNamingThePart(string part)
    {
        var broken = Edit(Found().TraceJson, root => CoyoteTrace(root)[part] = 5);
        var e = Assert.Throws<TraceFormatException>(() => CoyoteTest.Replay(Programs.LostUpdate(false), broken));
        Assert.Equal($"coyote.{part}", e.Field);
    }

    [Theory]
    [InlineData("op(1:0)")]
    [InlineData("12")]
    public void AStepThatIsNotACoyoteStep_IsAFormatErrorNamingItsIndex(string step)
    {
        var broken = Edit(Found().TraceJson, root =>
        {
            var coyote = CoyoteTrace(root);
            var steps = coyote["Steps"]!.AsArray();
            steps[2] = step == "12" ? JsonValue.Create(12) : JsonValue.Create(step);
        });
        var e = Assert.Throws<TraceFormatException>(() => CoyoteTest.Replay(Programs.LostUpdate(false), broken));
        Assert.Equal("coyote.Steps[2]", e.Field);
    }

    [Fact]
    public void ATraceOfOurEngine_IsRefusedNamingTheEngine()
    {
        var ours = SystematicTest.Run(Programs.LostUpdate(false), new TestOptions { Strategy = "random", Iterations = 500, Seed = 3 }).Bug!;
        var e = Assert.Throws<TraceFormatException>(() => CoyoteTest.Replay(Programs.LostUpdate(false), ours.TraceJson));
        Assert.Equal("engine", e.Field);
    }

    /// <summary>
    /// A replay that ends with another bug than the trace recorded diverges, and says both in one line each, the
    /// replayed message cut after 200 characters (one of exactly 200 is whole).
    /// </summary>
    [Theory]
    [InlineData(300, "…")]
    [InlineData(200, "")]
    public void AReplayThatEndsWithAnotherBug_Diverges(int length, string cut)
    {
        var longMessage = new string('x', length);
        Action test = () =>
        {
            var t = Sim.Start("t", () => { });
            t.Join();
            Sim.Assert(false, longMessage);
        };
        var bug = CoyoteTest.Run(test, new TestOptions { Strategy = "random", Iterations = 1, Seed = 1 }).Bug!;
        var otherMessage = Edit(bug.TraceJson, root => root["bug"]!["message"] = "something else");
        var e = Assert.Throws<TraceDivergenceException>(() => CoyoteTest.Replay(test, otherMessage));
        Assert.Contains($"the execution stopped with AssertionFailure ('{new string('x', 200)}{cut}') but the trace recorded AssertionFailure", e.Message);
        Assert.True(e.Step > 0, "the divergence names the step the replay reached");
        Assert.Equal(bug.Message, CoyoteTest.Replay(test, bug.TraceJson).Bug!.Message);
    }

    /// <summary>Coyote says a trace does not reproduce only in its log: the replay reports its words.</summary>
    [Fact]
    public void AReplayCoyoteCannotFollow_DivergesWithCoyotesWords()
    {
        var bug = Found();
        var broken = Edit(bug.TraceJson, root =>
        {
            var coyote = CoyoteTrace(root);
            var steps = coyote["Steps"]!.AsArray();
            for (var i = 0; i < steps.Count; i++)
                steps[i] = System.Text.RegularExpressions.Regex.Replace(steps[i]!.GetValue<string>(), @"next\((\d+):", "next(9$1:");
        });
        var e = Assert.Throws<TraceDivergenceException>(() => CoyoteTest.Replay(Programs.LostUpdate(false), broken));
        Assert.Contains("Coyote says: The trace", e.Message);
        Assert.Contains("is not reproducible", e.Message);
    }
}
