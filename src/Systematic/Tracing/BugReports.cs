using System.Reflection;

namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>
/// Turns a bug an engine found into the <see cref="BugReport"/> callers see, with its <c>hmc-trace/1</c> trace. Both
/// engines and the minimizer build their reports here, so a trace records the same fields from the same options
/// whichever engine wrote it.
/// </summary>
internal static class BugReports
{
    /// <summary>The <c>tool</c> field of every trace: this library's name and version.</summary>
    public static string ToolName { get; } =
        "HighMemConcurrency " + (typeof(BugReports).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>
    /// The report of a bug found in <paramref name="iteration"/> of a run with <paramref name="options"/>.
    /// <paramref name="message"/> may be null (the kind then stands for it in the report, and the trace records an
    /// empty message); <paramref name="engineTrace"/> is another engine's own trace, embedded verbatim.
    /// </summary>
    public static BugReport Create(TestOptions options, string strategy, int iteration, BugKind kind, string? message,
        IReadOnlyList<Decision> decisions, IReadOnlyList<StepRecord> steps, string engine = ScheduleTrace.DefaultEngine, string? engineTrace = null)
    {
        var trace = new ScheduleTrace
        {
            Tool = ToolName,
            TestName = options.TestName,
            Assembly = options.Assembly,
            Parameters = options.Parameters,
            Strategy = strategy,
            Seed = options.Seed,
            Iteration = iteration,
            PctDepth = options.PctDepth,
            MaxSteps = options.MaxSteps,
            DetectDataRaces = options.DetectDataRaces,
            MemoryModel = options.MemoryModel,
            StoreBufferSize = options.StoreBufferSize,
            BugKind = kind,
            BugMessage = message,
            Decisions = decisions,
            Engine = engine,
            EngineTrace = engineTrace,
        };
        return new BugReport(kind, message ?? kind.ToString(), iteration, trace.ToJson(), steps);
    }
}
