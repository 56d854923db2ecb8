using System.Runtime.CompilerServices;

namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>
/// The engines that can replay a trace, by the trace's <c>engine</c> field, so that <see cref="SystematicTest.Replay"/>
/// (and so <c>hmc replay</c>) replays any trace without its caller knowing which engine wrote it. Another engine
/// registers itself from its entry class's static constructor; this class finds that class by its well-known name
/// (one type look-up, no other reflection), because src/Systematic must not depend on the other engine's assembly.
/// </summary>
internal static class TraceEngines
{
    public delegate TestReport Replayer(Action test, string traceJson, TestOptions? options);

    private static readonly Dictionary<string, Replayer> s_engines = new(StringComparer.Ordinal);
    private static readonly Lock s_lock = new();

    private static readonly Dictionary<string, string> s_entryTypes = new(StringComparer.Ordinal)
    {
        ["coyote"] = "HighMemConcurrency.Systematic.Coyote.CoyoteTest, HighMemConcurrency.Systematic.Coyote",
    };

    public static void Register(string engine, Replayer replay)
    {
        lock (s_lock) s_engines[engine] = replay;
    }

    public static Replayer Find(string engine)
    {
        lock (s_lock)
            if (s_engines.TryGetValue(engine, out var found)) return found;
        if (s_entryTypes.TryGetValue(engine, out var typeName) && Type.GetType(typeName, throwOnError: false) is { } type)
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        lock (s_lock)
            if (s_engines.TryGetValue(engine, out var found)) return found;
        throw new TraceFormatException("engine", $"the trace was written by engine '{engine}', which this program does not include " +
            $"(known: {ScheduleTrace.DefaultEngine}{string.Concat(s_entryTypes.Keys.Select(k => ", " + k))})");
    }
}
