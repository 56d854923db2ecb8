namespace HighMemConcurrency.Systematic;

/// <summary>The class of a bug found by a systematic test.</summary>
public enum BugKind
{
    /// <summary>A <see cref="Sim.Assert"/> (or a model invariant built on it) failed.</summary>
    AssertionFailure,

    /// <summary>A controlled thread threw an exception that nothing caught (a kernel <c>BUG()</c> included).</summary>
    UnhandledException,

    /// <summary>No controlled thread could run while some had not finished.</summary>
    Deadlock,

    /// <summary>An iteration took more than <see cref="TestOptions.MaxSteps"/> scheduling steps.</summary>
    Livelock,

    /// <summary>Two accesses to one <see cref="SimVar{T}"/>, at least one a write, not ordered by happens-before.</summary>
    DataRace,

    /// <summary>A controlled thread blocked or ran outside the engine's primitives past the watchdog limit.</summary>
    UncontrolledConcurrency,
}
