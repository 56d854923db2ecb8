namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// A pooled OS thread that runs controlled threads one after another, across iterations, so an iteration does
/// not pay for thread creation. It sleeps on its <see cref="Gate"/> until the scheduler hands it the turn.
/// </summary>
internal sealed class Worker
{
    private readonly Thread _thread;
    private volatile bool _shutdown;

    public Worker(int index)
    {
        _thread = new Thread(Loop, maxStackSize: 4 << 20) { IsBackground = true, Name = $"hmc-worker-{index}" };
        _thread.Start();
    }

    public HandoffGate Gate { get; } = new();

    /// <summary>The controlled thread to run when the gate opens next (written before the gate is signalled).</summary>
    public ControlledThread? Assigned;

    /// <summary>The worker's controlled thread ran away; the worker exits instead of returning to the pool.</summary>
    public volatile bool Discarded;

    public void Shutdown()
    {
        _shutdown = true;
        Gate.Signal();
    }

    private void Loop()
    {
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
