namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// One thread of a controlled execution: its stable id (creation index), what it is about to do, why it may not
/// run, and its vector clock. It runs on a pooled <see cref="Worker"/>; only the scheduler decides when.
/// </summary>
internal sealed class ControlledThread
{
    [ThreadStatic] private static ControlledThread? t_current;

    public ControlledThread(Execution execution, int id, string name, Action body, Worker worker)
    {
        Execution = execution;
        Id = id;
        Name = name;
        Body = body;
        Worker = worker;
        Handle = new SimThread(this);
        PendingKind = OperationKind.Start;
    }

    /// <summary>The controlled thread the calling OS thread is running, or null (native mode).</summary>
    public static ControlledThread? Current => t_current;

    public Execution Execution { get; }
    public int Id { get; }
    public string Name { get; }
    public Action Body { get; }
    public Worker Worker { get; }
    public SimThread Handle { get; }

    public bool Finished;

    /// <summary>Set by the watchdog: the thread ran away; it must never touch the execution again.</summary>
    public volatile bool Orphaned;

    public OperationKind PendingKind;
    public object? PendingTarget;
    public long PendingArg;

    public BlockKind Block;
    public object? BlockOn;                  // SimLock, ControlledThread, SimCondition, or Func<bool>
    public string? BlockDescription;

    public readonly VectorClock Clock = new();
    public object? Tag;

    public static void SetCurrent(ControlledThread? thread) => t_current = thread;

    public string Label => $"T{Id} '{Name}'";

    /// <summary>Whether the thread could perform its pending operation now.</summary>
    public bool IsEnabled()
    {
        if (Finished) return false;
        return Block switch
        {
            BlockKind.None => true,
            BlockKind.Lock => ((SimLock)BlockOn!).IsFreeFor(Execution),
            BlockKind.Join => ((ControlledThread)BlockOn!).Finished,
            BlockKind.Condition => false,
            BlockKind.Predicate => Execution.EvaluatePredicate((Func<bool>)BlockOn!),
            _ => false,
        };
    }

    public void SetBlock(BlockKind kind, object? on, string? description = null)
    {
        Block = kind;
        BlockOn = on;
        BlockDescription = description;
    }

    public void ClearBlock()
    {
        Block = BlockKind.None;
        BlockOn = null;
        BlockDescription = null;
    }

    /// <summary>What the thread waits for, for deadlock reports.</summary>
    public string DescribeWait() => Block switch
    {
        BlockKind.Lock => $"waits for {((ISimObject)BlockOn!).Describe()}, held by {((SimLock)BlockOn!).DescribeOwner(Execution, this)}",
        BlockKind.Join => $"waits to join {((ControlledThread)BlockOn!).Label}",
        BlockKind.Condition => $"waits on {((ISimObject)BlockOn!).Describe()} (no signal will come)",
        BlockKind.Predicate => $"waits until {BlockDescription ?? "a condition holds"}",
        _ => "is runnable",
    };
}
