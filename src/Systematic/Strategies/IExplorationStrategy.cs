using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// The whole contract between the engine and a way of exploring schedules: start an iteration, pick the next
/// thread among the enabled ones, pick a value, close the iteration. Everything else lives in the runtime.
/// </summary>
internal interface IExplorationStrategy
{
    /// <summary>The name written into traces and reports.</summary>
    string Name { get; }

    /// <summary>Prepares iteration <paramref name="iteration"/> (1-based); false when no schedule is left.</summary>
    bool InitializeIteration(int iteration);

    /// <summary>Tells the strategy a thread was created (PCT gives it a priority).</summary>
    void OnThreadCreated(int threadId);

    /// <summary>
    /// Picks the thread that runs the next step. <paramref name="enabled"/> holds the enabled thread ids in
    /// ascending order and is never empty; <paramref name="current"/> is the thread at the scheduling point,
    /// which may itself be disabled (blocked or finished); <paramref name="currentYields"/> says its operation is an
    /// explicit <see cref="Sim.Yield"/> (a hint that it waits for others).
    /// </summary>
    int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step);

    /// <summary>Picks a value in [0, <paramref name="count"/>) for controlled nondeterminism.</summary>
    int NextChoice(int count, int step);

    /// <summary>Closes the iteration that ran <paramref name="steps"/> steps.</summary>
    void CompleteIteration(int steps);

    /// <summary>True once a systematic strategy has run every schedule in its space.</summary>
    bool IsExhausted => false;

    /// <summary>
    /// Called once per execution, before its first decision, with a read-only view of the threads' pending
    /// operations. Strategies that look at what threads are about to do (POS, DPOR) keep it; the others ignore it, so
    /// the per-step path of random and PCT is unchanged.
    /// </summary>
    void OnExecutionStarted(IPendingOperations threads) { }

    /// <summary>
    /// Distinct interleavings (Mazurkiewicz traces) run so far, for strategies that know (DPOR); null otherwise.
    /// </summary>
    long? Interleavings => null;

    /// <summary>One line on what the strategy covered (e.g. which bounds it exhausted), or null.</summary>
    string? Summary => null;
}

/// <summary>What every thread of the running execution is about to do, for strategies that look.</summary>
internal interface IPendingOperations
{
    /// <summary>The operation thread <paramref name="threadId"/> announced at its last scheduling point.</summary>
    PendingOperation Pending(int threadId);
}
