namespace HighMemConcurrency.Systematic;

/// <summary>What a systematic run did and what it found.</summary>
public sealed class TestReport
{
    internal TestReport(BugReport? bug, int iterationsRun, long stepsExplored, long threadSwitches, TimeSpan elapsed, bool exhausted,
        string strategy, ulong seed, StopReason stopReason, long? interleavings = null, string? strategySummary = null,
        IReadOnlyDictionary<string, int>? coverage = null)
    {
        Coverage = coverage ?? new SortedDictionary<string, int>(StringComparer.Ordinal);
        Interleavings = interleavings;
        StrategySummary = strategySummary;
        Bug = bug;
        IterationsRun = iterationsRun;
        StepsExplored = stepsExplored;
        ThreadSwitches = threadSwitches;
        Elapsed = elapsed;
        Exhausted = exhausted;
        Strategy = strategy;
        Seed = seed;
        StopReason = stopReason;
    }

    /// <summary>The first bug found, or null when every iteration ran clean.</summary>
    public BugReport? Bug { get; }

    /// <summary>Iterations (schedules) run, including the one that found the bug.</summary>
    public int IterationsRun { get; }

    /// <summary>Scheduling steps executed over all iterations.</summary>
    public long StepsExplored { get; }

    /// <summary>Steps whose thread differed from the previous step's: each one is an OS thread handoff.</summary>
    public long ThreadSwitches { get; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>True when a systematic strategy (DFS) explored every schedule within its bound.</summary>
    public bool Exhausted { get; }

    /// <summary>
    /// Distinct interleavings (Mazurkiewicz traces) run, for strategies that know (<c>dpor</c>); with
    /// <see cref="Exhausted"/> and no bug, every interleaving of the test was checked.
    /// </summary>
    public long? Interleavings { get; }

    /// <summary>What the strategy covered, in one line (e.g. which delay bounds <c>idb</c> exhausted), or null.</summary>
    public string? StrategySummary { get; }

    /// <summary>
    /// The model events the run's iterations reached (<see cref="Sim.Cover"/>), each with the number of iterations
    /// that reached it at least once, in ordinal order of the event's name; an event no iteration reached is absent.
    /// </summary>
    public IReadOnlyDictionary<string, int> Coverage { get; }

    /// <summary>The strategy that ran.</summary>
    public string Strategy { get; }

    /// <summary>The seed of the run.</summary>
    public ulong Seed { get; }

    /// <summary>Why the run stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>Iterations per second of wall-clock time.</summary>
    public double IterationsPerSecond => Elapsed.TotalSeconds > 0 ? IterationsRun / Elapsed.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString()
    {
        var outcome = Bug is null ? "no bug" : $"{Bug.Kind} in iteration {Bug.Iteration}: {Bug.Message}";
        var exhausted = Exhausted ? " (schedule space exhausted)" : "";
        if (Interleavings is { } traces) exhausted += $" ({traces} interleavings)";
        return $"{Strategy} seed {Seed}: {IterationsRun} iterations, {StepsExplored} steps, " +
               $"{Elapsed.TotalSeconds:F2} s{exhausted}; {outcome}";
    }
}

/// <summary>Why a systematic run stopped.</summary>
public enum StopReason
{
    /// <summary>All requested iterations ran.</summary>
    IterationBudget,

    /// <summary>A bug was found.</summary>
    BugFound,

    /// <summary>The strategy explored its whole schedule space.</summary>
    Exhausted,

    /// <summary><see cref="TestOptions.TimeLimit"/> was reached.</summary>
    TimeLimit,

    /// <summary><see cref="TestOptions.Cancellation"/> was cancelled.</summary>
    Canceled,
}
