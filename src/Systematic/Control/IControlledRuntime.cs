using System.Diagnostics.CodeAnalysis;

namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The whole contract between the primitives and whatever controls them, for one iteration: our engine
/// (<see cref="Runtime.Execution"/>) or Coyote's (HighMemConcurrency.Systematic.Coyote). Like shuttle's facades the
/// primitives use only "current thread", one scheduling point that may carry a wait, spawn, choose and fail; they
/// own their blocking state and their happens-before bookkeeping (<see cref="Causality"/>), so races, deadlock
/// descriptions and the model's diagnoses mean the same under either engine.
/// </summary>
internal interface IControlledRuntime
{
    /// <summary>Unique over every iteration of every engine in the process; primitives key their state by it.</summary>
    long Id { get; }

    /// <summary>Steps taken so far in the iteration (the step being executed, once a thread has been chosen).</summary>
    int Step { get; }

    /// <summary>The iteration's happens-before clocks (inactive when race detection is off).</summary>
    Causality Causality { get; }

    /// <summary>The execution's weak memory under <see cref="MemoryModel.Arm"/>; null under the other models.</summary>
    WeakMemory? Weak { get; }

    /// <summary>
    /// A scheduling point: <paramref name="current"/> announces the operation it is about to perform and, if it may
    /// have to wait, what for. Returns once <paramref name="current"/> has been chosen to perform it, with
    /// <paramref name="wait"/> (if any) able to proceed. Throws <see cref="Runtime.ExecutionCanceledException"/> when the
    /// iteration is over.
    /// </summary>
    void SchedulingPoint(RuntimeThread current, OperationKind kind, object? target, long arg = 0, IWaitCondition? wait = null);

    /// <summary>Creates a child of <paramref name="parent"/>, paused until scheduled; call it right after a Spawn point.</summary>
    RuntimeThread Spawn(RuntimeThread parent, string name, Action body);

    /// <summary>A scheduling point followed by a recorded choice of a value in [0, <paramref name="count"/>).</summary>
    int Choose(RuntimeThread current, int count);

    /// <summary>A recorded choice inside the running step (e.g. which waiter a signal wakes).</summary>
    int NextChoice(int count);

    /// <summary>Records the bug (the first one wins), ends the iteration and unwinds the calling thread.</summary>
    [DoesNotReturn]
    void Fail(BugKind kind, string message);

    /// <summary>Attaches the running step's result (a value loaded, a thread woken) to its record.</summary>
    void SetResult(long result);

    /// <summary>Attaches a model note to the running step.</summary>
    void Note(string text);

    /// <summary>Records that the iteration reached the model event <paramref name="eventName"/> (<see cref="Sim.Cover"/>).</summary>
    void Cover(string eventName);

    /// <summary>Registers, for this iteration, a model-level explanation appended to a deadlock report.</summary>
    void AddDeadlockExplainer(Func<string?> explain);

    /// <summary>The label of thread <paramref name="id"/> (<c>T1 'worker'</c>).</summary>
    string ThreadLabel(int id);

    /// <summary>
    /// Evaluates a user predicate (a <see cref="Sim.WaitUntil"/> condition): one that throws is a bug, and primitives
    /// may not be used inside it.
    /// </summary>
    bool EvaluatePredicate(Func<bool> predicate);

    /// <summary>The next creation index for an unnamed object (1, 2, …), restarting each iteration.</summary>
    int NextObjectIndex();
}
