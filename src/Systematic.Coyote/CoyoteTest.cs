using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// Entry points of the Coyote engine: the same test bodies, primitives, options and reports as
/// <see cref="SystematicTest"/>, with Microsoft Coyote 1.7.11 choosing the schedules (each controlled thread a real OS
/// thread bound to a Coyote operation). Strategy names are <see cref="CoyoteStrategies.Names"/>.
/// </summary>
public static class CoyoteTest
{
    /// <summary>The engine name written into traces (<c>"engine": "coyote"</c>).</summary>
    public const string EngineName = CoyoteEngine.EngineName;

    /// <summary>This engine behind the contract both engines implement: <see cref="Run"/> and <see cref="Replay"/>.</summary>
    public static ITestEngine Engine { get; } = new CoyoteTestEngine();

    /// <summary>
    /// Runs <paramref name="test"/> once per iteration under Coyote with the strategy in <paramref name="options"/>
    /// (one of <see cref="CoyoteStrategies.Names"/>); stops at the first bug.
    /// </summary>
    public static TestReport Run(Action test, TestOptions options)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        return new CoyoteEngine(test, options, null).Run();
    }

    /// <summary>
    /// Re-runs a Coyote-found schedule from its <c>hmc-trace/1</c> document. Throws <see cref="TraceFormatException"/>
    /// for a malformed trace or one another engine wrote, and <see cref="TraceDivergenceException"/> when the
    /// execution departs from it (Coyote cannot follow its steps, or the run ends without the recorded bug).
    /// </summary>
    public static TestReport Replay(Action test, string traceJson, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        var trace = ScheduleTrace.Parse(traceJson);
        if (trace.Engine != EngineName)
            throw new TraceFormatException("engine", $"expected '{EngineName}', found '{trace.Engine}': replay it with SystematicTest.Replay");
        var coyoteTrace = trace.EngineTrace!;
        CheckCoyoteTrace(coyoteTrace);
        var replayOptions = trace.ToReplayOptions(options, CoyoteStrategies.Names);
        Validate(replayOptions);
        var engine = new CoyoteEngine(test, replayOptions, coyoteTrace);
        TestReport report;
        try
        {
            report = engine.Run();
        }
        catch (Exception e) when (e is not TraceException && engine.Log.Divergence is null)
        {
            throw new TraceFormatException("coyote", $"Coyote cannot read its trace: {e.Message.ReplaceLineEndings(" ")}");
        }
        var step = engine.BuggyExecution?.Step ?? 0;
        if (engine.Log.Divergence is { } divergence)
            throw new TraceDivergenceException(step, $"Coyote says: {divergence}");
        if (report.Bug is null)
            throw new TraceDivergenceException(step, $"the execution finished clean but the trace recorded {trace.BugKind}");
        if (trace.BugKind is { } kind && (report.Bug.Kind != kind || report.Bug.Message != trace.BugMessage))
            throw new TraceDivergenceException(step, $"the execution stopped with {report.Bug.Kind} ('{OneLine(report.Bug.Message)}') but the trace recorded {kind}");
        return report;
    }

    private static void Validate(TestOptions options)
    {
        var strategy = CoyoteStrategies.Check(options.Strategy);
        options.Validate(checkStrategy: false);
        RefuseMemoryModel(options);
        // Coyote draws its schedules from one generator across iterations: none of its strategies can start part-way.
        if (options.FirstIteration != 1 && !strategy.Samples)
            throw new ArgumentException("Coyote runs its iterations from the first: FirstIteration must be 1", nameof(options));
    }

    /// <summary>Coyote schedules operations, not when stores become visible: only sequential consistency runs on it.</summary>
    internal static void RefuseMemoryModel(TestOptions options)
    {
        if (options.MemoryModel != MemoryModel.Sc)
            throw new ArgumentException($"the coyote engine runs only memory model 'sc': its scheduler does not choose when stores become visible (run memory model '{MemoryModelNames.Name(options.MemoryModel)}' on the hmc engine)", nameof(options));
    }

    private static void CheckCoyoteTrace(string coyoteTrace)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(coyoteTrace);
        var root = doc.RootElement;
        if (!root.TryGetProperty("Steps", out var steps) || steps.ValueKind != System.Text.Json.JsonValueKind.Array)
            throw new TraceFormatException("coyote.Steps", "missing: not a Coyote reproducible trace");
        if (!root.TryGetProperty("Settings", out var settings) || settings.ValueKind != System.Text.Json.JsonValueKind.Object)
            throw new TraceFormatException("coyote.Settings", "missing: not a Coyote reproducible trace");
        var index = 0;
        foreach (var s in steps.EnumerateArray())
        {
            var text = s.ValueKind == System.Text.Json.JsonValueKind.String ? s.GetString()! : "";
            if (!text.StartsWith("op(", StringComparison.Ordinal) || text.Split(',').Length < 2)
                throw new TraceFormatException($"coyote.Steps[{index}]", $"'{text}' is not a Coyote step such as 'op(1:0),sp(Default),next(2:0)'");
            index++;
        }
    }

    private static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
