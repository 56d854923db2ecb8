namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// Why a thread at a scheduling point may have to wait, owned by the primitive it waits on (a lock that must be
/// free, a condition-variable waiter that must be signalled, a thread that must finish, a predicate). Engines only
/// ask it; they never look inside. <see cref="CanProceed"/> must be pure and cheap: an engine may evaluate it on any
/// controlled thread, many times per step (Coyote does so inside <c>Operation.PauseUntil</c>).
/// </summary>
internal interface IWaitCondition
{
    /// <summary>True when <paramref name="waiter"/> could perform its pending operation now.</summary>
    bool CanProceed(RuntimeThread waiter);

    /// <summary>What <paramref name="waiter"/> waits for, for deadlock reports ("waits for lock 'a', held by T1 'x'").</summary>
    string DescribeWait(RuntimeThread waiter);
}
