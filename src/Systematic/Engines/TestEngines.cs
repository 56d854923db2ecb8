namespace HighMemConcurrency.Systematic;

/// <summary>
/// The engines this process can run and replay on, by <see cref="ITestEngine.Name"/>: ours (<see cref="SystematicTest.Engine"/>)
/// always, and every other engine whose assembly registered itself when it was loaded (HighMemConcurrency.Systematic.Coyote
/// registers <c>CoyoteTest.Engine</c> as soon as any of its types is used). <see cref="SystematicTest.Replay"/> finds a
/// trace's engine here, so a caller replays any trace without knowing which engine wrote it.
/// </summary>
/// <remarks>
/// Process-wide because an engine's assembly registers itself when the runtime loads it, with no caller to hand it
/// to; it is the one registry, guarded by a lock, and it only ever grows.
/// </remarks>
public static class TestEngines
{
    private static readonly Lock s_lock = new();
    private static IReadOnlyList<ITestEngine> s_engines = Array.AsReadOnly<ITestEngine>([SystematicTest.Engine]);

    /// <summary>Every registered engine, ours first, then in the order they registered.</summary>
    public static IReadOnlyList<ITestEngine> All
    {
        get
        {
            lock (s_lock) return s_engines;
        }
    }

    /// <summary>
    /// Adds <paramref name="engine"/>. Registering the same instance again does nothing; another engine under a
    /// registered name throws <see cref="ArgumentException"/>, so a name always means one engine.
    /// </summary>
    public static void Register(ITestEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        lock (s_lock)
        {
            foreach (var known in s_engines)
            {
                if (known.Name != engine.Name) continue;
                if (ReferenceEquals(known, engine)) return;
                throw new ArgumentException($"an engine named '{engine.Name}' is already registered", nameof(engine));
            }
            // A new read-only list each time: All hands out a snapshot that nobody changes under its reader.
            s_engines = Array.AsReadOnly([.. s_engines, engine]);
        }
    }

    /// <summary>The engine named <paramref name="name"/>, or null when none registered under that name.</summary>
    public static ITestEngine? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var engine in All)
            if (engine.Name == name) return engine;
        return null;
    }

    /// <summary>
    /// The engine that replays a trace whose <c>engine</c> field is <paramref name="name"/>; throws
    /// <see cref="Tracing.TraceFormatException"/> on that field, in one line saying how to register it, when none is.
    /// </summary>
    internal static ITestEngine ForTrace(string name) => Find(name) ?? throw new Tracing.TraceFormatException("engine",
        $"the trace was written by engine '{name}', which is not registered in this process (registered: " +
        $"{string.Join(", ", All.Select(e => e.Name))}): use its assembly (any of its types registers it) or call TestEngines.Register");
}
