using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Tests.Engines;

/// <summary>The registry replay finds a trace's engine in: ours always, others once registered, by name.</summary>
public sealed class TestEnginesTests
{
    /// <summary>An engine that only records what it was asked to replay.</summary>
    private sealed class RecordingEngine(string name) : ITestEngine
    {
        public string? Replayed;

        public string Name => name;

        public IReadOnlyList<StrategyInfo> Strategies => [new("only", "the one strategy")];

        public TestReport Run(Action test, TestOptions options) => throw new NotSupportedException();

        public TestReport Replay(Action test, string traceJson, TestOptions? options = null)
        {
            Replayed = traceJson;
            return SystematicTest.Run(() => { }, new TestOptions { Iterations = 1 });
        }
    }

    private static string TraceOf(string engine) => new ScheduleTrace
    {
        Tool = "test",
        TestName = "test",
        Parameters = new Dictionary<string, string>(),
        Strategy = "only",
        Seed = 1,
        Iteration = 1,
        PctDepth = 3,
        MaxSteps = 100,
        DetectDataRaces = true,
        Decisions = [],
        Engine = engine,
        EngineTrace = "{}",
    }.ToJson();

    [Fact]
    public void Our_engine_is_always_registered_first()
    {
        Assert.Same(SystematicTest.Engine, TestEngines.All[0]);
        Assert.Same(SystematicTest.Engine, TestEngines.Find("hmc"));
        Assert.Null(TestEngines.Find("no-such-engine"));
    }

    [Fact]
    public void A_registered_engine_replays_its_traces_through_SystematicTest_Replay()
    {
        var engine = new RecordingEngine("recording-engine-replays");
        TestEngines.Register(engine);
        TestEngines.Register(engine);   // again: nothing changes
        Assert.Single(TestEngines.All, e => e.Name == engine.Name);
        var trace = TraceOf(engine.Name);
        var report = SystematicTest.Replay(() => { }, trace);
        Assert.Equal(trace, engine.Replayed);
        Assert.Null(report.Bug);
    }

    [Fact]
    public void A_second_engine_under_a_registered_name_is_refused()
    {
        TestEngines.Register(new RecordingEngine("recording-engine-twice"));
        var e = Assert.Throws<ArgumentException>(() => TestEngines.Register(new RecordingEngine("recording-engine-twice")));
        Assert.StartsWith("an engine named 'recording-engine-twice' is already registered", e.Message);
        Assert.Throws<ArgumentException>(() => TestEngines.Register(new RecordingEngine("hmc")));
    }

    [Fact]
    public void A_trace_of_an_unregistered_engine_is_a_format_error_saying_how_to_register_it()
    {
        var e = Assert.Throws<TraceFormatException>(() => SystematicTest.Replay(() => { }, TraceOf("elsewhere")));
        Assert.Equal("engine", e.Field);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("engine 'elsewhere', which is not registered in this process (registered: hmc", e.Message);
        Assert.Contains("TestEngines.Register", e.Message);
    }
}
