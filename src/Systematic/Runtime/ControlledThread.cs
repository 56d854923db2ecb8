using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// A thread of our engine's execution: a <see cref="RuntimeThread"/> that runs its body on a pooled
/// <see cref="Worker"/>, only when the scheduler hands it the turn.
/// </summary>
internal sealed class ControlledThread(Execution execution, int id, int number, string name, Action body, Worker worker)
    : RuntimeThread(execution, id, name, number, null)
{
    public Execution Execution { get; } = execution;
    public Action Body { get; } = body;
    public Worker Worker { get; } = worker;

    /// <summary>Set by the watchdog: the thread ran away; it must never touch the execution again.</summary>
    public volatile bool Orphaned;
}
