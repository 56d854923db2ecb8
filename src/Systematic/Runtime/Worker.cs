namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// A pooled OS thread that runs controlled threads one after another, across iterations, so an iteration does
/// not pay for thread creation. It sleeps on its <see cref="Gate"/> until the scheduler hands it the turn, on the
/// CPU its pool keeps the run on (when it has one).
/// </summary>
internal sealed class Worker
{
    private readonly Thread _thread;
    private volatile bool _shutdown;

    private readonly int _cpu;

    /// <param name="index">Names the thread.</param>
    /// <param name="policy">How the worker waits for its turn.</param>
    /// <param name="cpu">The CPU to run on, or -1 for any.</param>
    public Worker(int index, HandoffPolicy policy, int cpu)
    {
        _cpu = cpu;
        Gate = new HandoffGate(policy);
        _thread = new Thread(Loop, maxStackSize: 4 << 20) { IsBackground = true, Name = $"hmc-worker-{index}" };
        _thread.Start();
    }

    public HandoffGate Gate { get; }

    /// <summary>The controlled thread to run when the gate opens next (written before the gate is signalled).</summary>
    public ControlledThread? Assigned;

    /// <summary>The kernel id of the worker's thread once it has pinned itself (0 when not pinned).</summary>
    public volatile int ThreadId;

    /// <summary>The worker's controlled thread ran away; the worker exits instead of returning to the pool.</summary>
    public volatile bool Discarded;

    public void Shutdown()
    {
        _shutdown = true;
        Gate.Signal();
    }

    private void Loop()
    {
        if (_cpu >= 0 && Affinity.Set(0, Affinity.Only(_cpu))) ThreadId = Affinity.CurrentThreadId();
        while (true)
        {
            Gate.Wait();
            if (_shutdown) return;
            var thread = Assigned;
            if (thread is null) continue;
            Run(thread);
            if (Discarded) return;
        }
    }

    private static void Run(ControlledThread thread)
    {
        ControlledThread.SetCurrent(thread);
        Exception? error = null;
        try
        {
            if (!thread.Execution.Aborting) thread.Body();
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            ControlledThread.SetCurrent(null);
        }
        thread.Execution.OnThreadFinished(thread, error);
    }
}
