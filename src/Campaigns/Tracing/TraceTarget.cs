using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// A trace with what it replays on: its scenario in the catalog and the parameters it records, checked against that
/// scenario. Every problem with the trace is a <see cref="CampaignException"/> naming the field or step, without the
/// file's path (the caller knows it).
/// </summary>
public sealed class TraceTarget
{
    private TraceTarget(string json, ScheduleTrace trace, IScenario scenario, ScenarioParameters parameters)
    {
        Json = json;
        Trace = trace;
        Scenario = scenario;
        Parameters = parameters;
    }

    /// <summary>The trace document.</summary>
    public string Json { get; }

    /// <summary>The trace, parsed.</summary>
    public ScheduleTrace Trace { get; }

    /// <summary>The scenario it names.</summary>
    public IScenario Scenario { get; }

    /// <summary>The parameters it records.</summary>
    public ScenarioParameters Parameters { get; }

    /// <summary>
    /// Parses <paramref name="traceJson"/> and finds its scenario in <paramref name="catalog"/>: a malformed trace, an
    /// unknown scenario, a scenario from another assembly (or another version of it) than the trace records, or
    /// parameters the scenario refuses are <see cref="CampaignException"/>s.
    /// </summary>
    public static TraceTarget Resolve(ICatalog catalog, string traceJson)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(traceJson);
        ScheduleTrace trace;
        try
        {
            trace = ScheduleTrace.Parse(traceJson);
        }
        catch (TraceFormatException e)
        {
            throw new CampaignException(e.Message, e);
        }
        var scenario = catalog.FindScenario(trace.TestName) ?? throw new CampaignException(trace.Assembly is { } recorded
            ? $"trace field 'assembly': scenario '{trace.TestName}' comes from {recorded}, which is not loaded (load it with --load PATH.dll)"
            : $"trace field 'test': unknown scenario '{trace.TestName}' (valid: {catalog.ScenarioNames()})");
        if (trace.Assembly != scenario.Assembly)
            throw new CampaignException($"trace field 'assembly': it was recorded from {trace.Assembly ?? "the tool's own scenarios"}, " +
                                        $"but scenario '{scenario.Name}' here comes from {scenario.Assembly ?? "the tool itself"}: replay needs the build that wrote it");
        ScenarioParameters parameters;
        try
        {
            parameters = ScenarioParameters.FromDictionary(trace.Parameters);
        }
        catch (FormatException e)
        {
            throw new CampaignException($"trace field 'parameters': {e.Message}", e);
        }
        try
        {
            scenario.Validate(parameters);
        }
        catch (ArgumentException e)
        {
            throw new CampaignException($"trace field 'parameters': scenario '{scenario.Name}' rejects them: {CampaignException.OneLine(e.Message)}", e);
        }
        return new TraceTarget(traceJson, trace, scenario, parameters);
    }

    /// <summary>
    /// Re-runs the schedule on the engine that wrote it. A trace that diverges — including one that records a bug the
    /// replay does not reach — is a <see cref="CampaignException"/>; a trace of a clean schedule replays clean.
    /// </summary>
    public TestReport Replay(TestOptions? options = null)
    {
        TestReport report;
        try
        {
            // An engine this program lacks is for ours to refuse, in the trace format's own words.
            var engine = CampaignEngines.All.FirstOrDefault(e => e.Name == Trace.Engine) ?? SystematicTest.Engine;
            report = engine.Replay(Scenario.CreateTest(Parameters), Json, options);
        }
        catch (TraceException e)
        {
            throw new CampaignException(e.Message, e);
        }
        if (report.Bug is null && Trace.BugKind is { } recorded)
            throw new CampaignException($"trace diverged at step {report.StepsExplored}: it records {recorded} but the replay finished clean");
        return report;
    }

    /// <summary>Shrinks the trace's bug (<see cref="SystematicTest.Minimize"/>); a trace without a bug to shrink is a <see cref="CampaignException"/>.</summary>
    public MinimizeResult Minimize(TestOptions options)
    {
        try
        {
            return SystematicTest.Minimize(Scenario.CreateTest(Parameters), Json, options);
        }
        catch (TraceException e)
        {
            throw new CampaignException(e.Message, e);
        }
        catch (ArgumentException e) when (e.ParamName == "traceJson")
        {
            throw new CampaignException(CampaignException.OneLine(e.Message), e);
        }
    }
}
