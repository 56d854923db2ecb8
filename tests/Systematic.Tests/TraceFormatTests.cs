using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Malformed, truncated and wrong-version traces are rejected with the field that is wrong.</summary>
public sealed class TraceFormatTests
{
    private static string ValidTrace() =>
        SystematicTest.Run(TextbookPrograms.LockOrder(false), new TestOptions { Strategy = "random" }).Bug!.TraceJson;

    private static TraceFormatException Rejected(string json) =>
        Assert.Throws<TraceFormatException>(() => SystematicTest.Replay(TextbookPrograms.LockOrder(false), json));

    [Fact]
    public void RoundTrip_PreservesEveryField()
    {
        var json = ValidTrace();
        var trace = ScheduleTrace.Parse(json);
        Assert.Equal(json, trace.ToJson());
    }

    [Fact]
    public void TheTestsAssembly_IsRecordedAfterItsName_OnlyWhenGiven_AndReadBack()
    {
        var plain = ValidTrace();
        Assert.DoesNotContain("\"assembly\"", plain);
        Assert.Null(ScheduleTrace.Parse(plain).Assembly);

        var report = SystematicTest.Run(TextbookPrograms.LockOrder(false),
            new TestOptions { Strategy = "random", TestName = "lock-order", Assembly = "UserLocks 2.0.0.0" });
        var json = report.Bug!.TraceJson;
        Assert.Contains("\"test\": \"lock-order\",\n  \"assembly\": \"UserLocks 2.0.0.0\",", json);
        var trace = ScheduleTrace.Parse(json);
        Assert.Equal("UserLocks 2.0.0.0", trace.Assembly);
        Assert.Equal(json, trace.ToJson());
        Assert.Equal("UserLocks 2.0.0.0", SystematicTest.Replay(TextbookPrograms.LockOrder(false), json).Bug!.TraceJson is { } replayed
            ? ScheduleTrace.Parse(replayed).Assembly : null);
    }

    [Fact]
    public void AssemblyOfTheWrongType_IsNamed()
    {
        var e = Rejected(ValidTrace().Replace("\"test\":", "\"assembly\": 7,\n  \"test\":"));
        Assert.Equal("trace field 'assembly': expected a string, found a number", e.Message);
    }

    [Fact]
    public void NotJson_IsMalformed() => Assert.Equal("(document)", Rejected("this is not json").Field);

    [Fact]
    public void BrokenMiddle_NamesThePosition()
    {
        var e = Rejected("{\n  \"format\": hmc\n}");
        Assert.Equal("trace field '(document)': not valid JSON at line 2, byte 13: the file is malformed", e.Message);
    }

    [Fact]
    public void CutInHalf_IsReportedAsTruncated()
    {
        var json = ValidTrace();
        var e = Rejected(json[..(json.Length / 2)]);
        Assert.Equal("trace field '(document)': not valid JSON: the document ends early, the file is truncated or malformed", e.Message);
    }

    [Fact]
    public void OtherVersion_IsRejectedByName()
    {
        var e = Rejected(ValidTrace().Replace("hmc-trace/1", "hmc-trace/2"));
        Assert.Equal("format", e.Field);
        Assert.Equal("trace field 'format': unsupported version 'hmc-trace/2', this tool reads 'hmc-trace/1'", e.Message);
    }

    [Fact]
    public void MissingField_IsNamed()
    {
        var e = Rejected(ValidTrace().Replace("\"strategy\":", "\"strat\":"));
        Assert.Equal("strategy", e.Field);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void DroppedDecisions_AreCaughtByTheCount()
    {
        var json = ValidTrace();
        var trace = ScheduleTrace.Parse(json);
        var countLine = $"\"decisionCount\": {trace.Decisions.Count}";
        Assert.Contains(countLine, json);
        var e = Rejected(json.Replace(countLine, $"\"decisionCount\": {trace.Decisions.Count + 5}"));
        Assert.Equal("decisions", e.Field);
        Assert.Contains("truncated or edited", e.Message);
    }

    [Fact]
    public void BadDecision_IsNamedByIndex()
    {
        var e = Rejected(ValidTrace().Replace("\"decisions\": [", "\"decisions\": [\"x9\", "));
        Assert.Equal("decisions[0]", e.Field);
    }

    [Fact]
    public void UnknownBugKind_IsNamed()
    {
        var e = Rejected(ValidTrace().Replace("\"kind\": \"Deadlock\"", "\"kind\": \"Gremlins\""));
        Assert.Equal("bug.kind", e.Field);
    }

    [Fact]
    public void WrongType_IsNamed()
    {
        var e = Rejected(ValidTrace().Replace("\"maxSteps\": 20000", "\"maxSteps\": \"lots\""));
        Assert.Equal("options.maxSteps", e.Field);
    }

    [Fact]
    public void RunLengthEncoding_ExpandsRepeats()
    {
        var trace = new ScheduleTrace
        {
            Tool = "t", TestName = "x", Parameters = new Dictionary<string, string>(), Strategy = "random", Seed = 1,
            Iteration = 1, PctDepth = 3, MaxSteps = 10, DetectDataRaces = true,
            Decisions = [new(DecisionKind.Thread, 0), new(DecisionKind.Thread, 0), new(DecisionKind.Thread, 0), new(DecisionKind.Choice, 2)],
        };
        var json = trace.ToJson();
        Assert.Contains("\"t0*3\"", json);
        Assert.Equal(trace.Decisions, ScheduleTrace.Parse(json).Decisions);
    }
}
