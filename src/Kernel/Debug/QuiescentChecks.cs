using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

public sealed partial class Machine
{
    private readonly List<Func<string?>> _quiescentChecks = [];
    private readonly List<SpinLock> _spinLocks = [];
    private readonly List<WaitQueueHead> _waitQueues = [];

    /// <summary>
    /// Registers a check of the layer above for the end of a run, once every task has exited (e.g. "every page
    /// returned to the allocator"). It returns the first violation, named, or null; it must only peek. Checks run in
    /// registration order, after the kernel's own and before the TLB check. Register before starting tasks.
    /// </summary>
    public void AddQuiescentCheck(Func<string?> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        _quiescentChecks.Add(check);
    }

    /// <summary>
    /// The first violated quiescence check of a machine whose tasks have all been joined, or null: every task has
    /// exited and none sleeps or is left in TASK_UNINTERRUPTIBLE; no spin lock is held; every wait queue is empty;
    /// the registered checks of the layer above; and no CPU's TLB caches a translation the page tables no longer
    /// allow. A peek: no scheduling point, so checking changes no trace. Null on a native machine already aborted
    /// (its tasks stopped part-way by design).
    /// </summary>
    public string? QuiescentViolation()
    {
        if (Aborted) return null;
        foreach (var t in _tasks)
        {
            if (!t.Finished)
                return $"at quiescence task {t.Name} has not exited ({(t.Asleep ? $"it sleeps in {KernelName(t.State)}{(t.WaitingOn is null ? "" : " on " + t.WaitingOn)}" : "it still runs")})";
            if (t.State != TaskState.Running)
                return $"at quiescence task {t.Name} exited in {KernelName(t.State)} (a set_current_state without the schedule() or set_current_state(TASK_RUNNING) after it)";
        }
        foreach (var l in Snapshot(_spinLocks))
            if (l.IsLocked)
                return $"at quiescence spin lock {l.Name} is still held{(l.Owner is { } owner ? $" by {owner.Name}" : " outside any task")}";
        foreach (var q in Snapshot(_waitQueues))
            if (!q.Waiters.IsEmpty)
                return $"at quiescence wait queue {q.Name} still holds {string.Join(", ", q.Waiters.Select(w => w.Name))} (an add_wait_queue without its remove_wait_queue)";
        foreach (var check in _quiescentChecks)
            if (check() is { } violation) return violation;
        return StaleTranslation();
    }

    /// <summary>Fails the run (an assertion failure) with <see cref="QuiescentViolation"/>, if any. Call after <see cref="JoinAll"/>.</summary>
    public void CheckQuiescent()
    {
        if (QuiescentViolation() is { } violation) Sim.Fail(BugKind.AssertionFailure, violation);
    }

    /// <summary>Remembers a spin lock created on this machine (for the quiescence check).</summary>
    internal void Track(SpinLock spinLock)
    {
        lock (_spinLocks) _spinLocks.Add(spinLock);
    }

    /// <summary>Remembers a wait queue created on this machine (for the quiescence check).</summary>
    internal void Track(WaitQueueHead queue)
    {
        lock (_waitQueues) _waitQueues.Add(queue);
    }

    private static string KernelName(TaskState state) => state == TaskState.Running ? "TASK_RUNNING" : "TASK_UNINTERRUPTIBLE";

    private static T[] Snapshot<T>(List<T> list)
    {
        lock (list) return [.. list];
    }

    // Spec §5 item 10: with no flush in flight, every translation a TLB caches agrees with the page tables. A stale
    // one means a PTE was cleared or changed without the flush that must follow it.
    private string? StaleTranslation()
    {
        foreach (var cpu in Cpus)
            foreach (var (vpn, pfn) in cpu.Tlb.Entries())
            {
                var pte = WalkPageTables(vpn);
                if (pte == pfn) continue;
                var range = _ranges.First(r => r.Contains(vpn)).Name;
                return $"at quiescence CPU{cpu.Id}'s TLB maps virtual page 0x{vpn:x} ({range}) to pfn 0x{pfn:x} but the page tables map " +
                       $"{(pte is { } p ? $"pfn 0x{p:x}" : "nothing")} there (a stale translation: a PTE changed without its TLB flush)";
            }
        return null;
    }
}
