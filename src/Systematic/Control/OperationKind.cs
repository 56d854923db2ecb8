namespace HighMemConcurrency.Systematic.Control;

/// <summary>What a controlled thread is about to do at a scheduling point.</summary>
internal enum OperationKind : byte
{
    Start,
    Spawn,
    Join,
    Yield,
    Choose,
    WaitUntil,
    LockEnter,
    LockTryEnter,
    LockExit,
    ConditionWait,
    ConditionReacquire,
    ConditionSignal,
    ConditionBroadcast,
    AtomicLoad,
    AtomicStore,
    AtomicAdd,
    AtomicExchange,
    AtomicCompareExchange,
    VarRead,
    VarWrite,
    Custom,

    /// <summary>A store buffer makes its oldest store visible (<see cref="MemoryModel.Tso"/>); a write of its object.</summary>
    Drain,

    /// <summary>
    /// <see cref="Sim.MemoryBarrier"/> by a thread whose store buffer holds stores (<see cref="MemoryModel.Tso"/>), or
    /// by any thread under <see cref="MemoryModel.Arm"/>.
    /// </summary>
    Fence,
}

/// <summary>A primitive that can name itself in interleavings and deadlock reports.</summary>
internal interface ISimObject
{
    /// <summary>e.g. <c>lock 'kmap_lock'</c>, or <c>lock#2</c> for an unnamed one.</summary>
    string Describe();
}
