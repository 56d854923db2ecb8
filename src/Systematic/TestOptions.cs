namespace HighMemConcurrency.Systematic;

/// <summary>How a systematic test explores schedules. Immutable; use <c>with</c> to derive variants.</summary>
public sealed record TestOptions
{
    /// <summary>Iterations (schedules) to run at most; DFS stops earlier when its space is exhausted.</summary>
    public int Iterations { get; init; } = 1000;

    /// <summary>
    /// Number of the first iteration to run (1-based): a run covers iterations <c>FirstIteration</c> to
    /// <c>FirstIteration + Iterations - 1</c>. An iteration's schedule depends only on the seed, its number and, for
    /// strategies that learn across iterations, the iterations before it in its <see cref="SystematicTest.IterationBlock"/>;
    /// so a run from a block boundary gives exactly the schedules of those iterations in one longer run, and a
    /// campaign's iterations can be split across processes in blocks. Systematic strategies (dfs, delay-bounding, idb,
    /// dpor) enumerate their space from the start and only accept 1. A replay runs its one iteration under this number
    /// (pass the trace's own to get its trace back byte for byte).
    /// </summary>
    public int FirstIteration { get; init; } = 1;

    /// <summary>Seed of every random decision; the same seed gives the same schedules in any process.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Exploration strategy: <c>random</c>, <c>pct</c>, <c>pos</c> (partial order sampling), <c>dfs</c>
    /// (preemption-bounded), <c>delay-bounding</c>, <c>idb</c> (iterative delay bounding) or <c>dpor</c>
    /// (source-set DPOR with sleep sets: proves a small test free of bugs when exhausted).
    /// </summary>
    public string Strategy { get; init; } = "pct";

    /// <summary>PCT bug depth d: the strategy uses d − 1 priority change points per iteration.</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>Scheduling steps allowed in one iteration before it is reported as a livelock.</summary>
    public int MaxSteps { get; init; } = 20_000;

    /// <summary>Whether unordered conflicting accesses to <see cref="SimVar{T}"/> are reported.</summary>
    public bool DetectDataRaces { get; init; } = true;

    /// <summary>
    /// The memory model stores obey (<see cref="Systematic.MemoryModel"/>): <see cref="Systematic.MemoryModel.Sc"/>
    /// (the default), <see cref="Systematic.MemoryModel.Tso"/>, whose store-buffer drains are scheduling decisions, or
    /// <see cref="Systematic.MemoryModel.Arm"/>, where which store a load reads is one.
    /// Data races are reported the same way under every model: two accesses in program order of different threads,
    /// at least one a write, not ordered by happens-before, whose edges are the synchronisation the model has: locks,
    /// spawn and join, and an atomic load after the stores up to the one it read (under <c>tso</c> a buffered store's
    /// release edge is published when the store becomes visible; under <c>arm</c> a load that reads an older store
    /// observes only the stores up to it). A <see cref="SimVar{T}"/> read that is ordered that way may still read an
    /// older value under <c>arm</c> when no barrier orders it: that is the memory model, not a race.
    /// Only our engine runs <c>tso</c> and <c>arm</c>.
    /// </summary>
    public MemoryModel MemoryModel { get; init; } = MemoryModel.Sc;

    /// <summary>
    /// Entries a thread's store buffer holds under <see cref="Systematic.MemoryModel.Tso"/> (default 8, about what
    /// the x86 cores of 32-bit highmem's day had to spare per thread; the bound keeps the schedule space finite).
    /// Under <see cref="Systematic.MemoryModel.Arm"/> it bounds staleness the same way: a load chooses among at most
    /// this many of its location's newest stores.
    /// </summary>
    public int StoreBufferSize { get; init; } = 8;

    /// <summary>Wall-clock budget for the whole run; iterations stop (cleanly) when it is spent.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>DFS preemption bound (CHESS style); <c>null</c> explores every schedule.</summary>
    public int? PreemptionBound { get; init; } = 2;

    /// <summary>Delays a <c>delay-bounding</c> schedule may take away from round-robin (Emmi, Qadeer, Rakamarić).</summary>
    public int DelayBound { get; init; } = 2;

    /// <summary>
    /// How long a controlled thread may run without reaching a scheduling point before it is reported as
    /// <see cref="BugKind.UncontrolledConcurrency"/> (it blocked on a real lock, slept, awaited a task...).
    /// </summary>
    public TimeSpan UncontrolledTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A name for what is tested; it is written into traces.</summary>
    public string TestName { get; init; } = "test";

    /// <summary>Parameters of what is tested (scenario, variant, sizes); written into traces verbatim.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The assembly that holds what is tested when it is not the tool's own ("name version", e.g. a user's scenarios
    /// loaded with <c>hmc --load</c>), or null; written into traces, so a replay can insist on the same build.
    /// </summary>
    public string? Assembly { get; init; }

    /// <summary>
    /// Stops the run between iterations when cancelled (e.g. Ctrl+C); the report then says
    /// <see cref="StopReason.Canceled"/> and counts the iterations that ran. An iteration in flight finishes first,
    /// so a bug it finds is still reported.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Receives progress about every <see cref="ProgressInterval"/> on long runs; may be null.</summary>
    public IProgress<TestProgress>? Progress { get; init; }

    /// <summary>How often <see cref="Progress"/> is told.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How the workers wait for their turn; only the benchmark that compares the policies changes it.</summary>
    internal Runtime.HandoffPolicy Handoff { get; init; } = Runtime.HandoffPolicy.Pinned;

    internal void Validate(bool checkStrategy = true)
    {
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "must be at least 1");
        if (FirstIteration < 1) throw new ArgumentOutOfRangeException(nameof(FirstIteration), FirstIteration, "must be at least 1");
        if (Iterations > int.MaxValue - FirstIteration + 1)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "FirstIteration + Iterations - 1 must fit an int");
        if (PctDepth < 1) throw new ArgumentOutOfRangeException(nameof(PctDepth), PctDepth, "must be at least 1");
        if (MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must be at least 1");
        if (PreemptionBound < 0) throw new ArgumentOutOfRangeException(nameof(PreemptionBound), PreemptionBound, "must not be negative");
        if (DelayBound < 0) throw new ArgumentOutOfRangeException(nameof(DelayBound), DelayBound, "must not be negative");
        if (UncontrolledTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(UncontrolledTimeout), UncontrolledTimeout, "must be positive");
        if (TimeLimit is { } limit && limit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeLimit), limit, "must be positive");
        if (StoreBufferSize < 1) throw new ArgumentOutOfRangeException(nameof(StoreBufferSize), StoreBufferSize, "must be at least 1");
        if (!Enum.IsDefined(MemoryModel)) throw new ArgumentOutOfRangeException(nameof(MemoryModel), MemoryModel, "is not a memory model");
        if (checkStrategy) Strategies.StrategyFactory.CheckName(Strategy);
    }
}

/// <summary>A progress snapshot of a running systematic test.</summary>
/// <param name="IterationsRun">Iterations completed so far.</param>
/// <param name="StepsExplored">Scheduling steps executed so far.</param>
/// <param name="Elapsed">Wall-clock time since the run started.</param>
public sealed record TestProgress(int IterationsRun, long StepsExplored, TimeSpan Elapsed);
