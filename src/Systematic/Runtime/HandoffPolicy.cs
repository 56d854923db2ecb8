namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// How the workers of a run wait for their turn. The product uses <see cref="Pinned"/>; the others exist so the
/// benchmark (<c>--compare-gates</c>) can show in one run why (figures in HandoffGate and the README).
/// </summary>
internal enum HandoffPolicy
{
    /// <summary>All threads of the run on one CPU; a waiter sleeps on its futex at once.</summary>
    Pinned,

    /// <summary>Sleeps on the futex at once, but the threads may run on any CPU.</summary>
    Unpinned,

    /// <summary>Polls with SpinWait (spins, then sched_yield) up to 50 times before sleeping; any CPU (the old gate).</summary>
    Poll,
}
