using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// A controlled thread under Coyote: a <see cref="RuntimeThread"/> on its own OS thread, bound to one Coyote
/// operation. A thread per operation, not a pool: a pooled thread would keep the previous iteration's Coyote runtime
/// in Coyote's thread-static state (COYOTE-FACTS pitfall 2), and the probe measured the pool only ≈15 % faster.
/// </summary>
internal sealed class CoyoteThread : RuntimeThread
{
    private readonly CoyoteExecution _execution;
    private readonly Action _body;
    private readonly ulong _operation;

    public CoyoteThread(CoyoteExecution execution, int id, string name, Action body, ulong operation)
        : base(execution, id, name)
    {
        _execution = execution;
        _body = body;
        _operation = operation;
        Os = new Thread(Run) { IsBackground = true, Name = Label };
        // Waiting on a lock, a signal or a predicate is handed to Coyote as this delegate, made once.
        CanRun = () => _execution.CanProceed(this);
    }

    /// <summary>The OS thread that runs the body.</summary>
    public Thread Os { get; }

    /// <summary>The Coyote operation id.</summary>
    public ulong Operation => _operation;

    /// <summary>The pending wait as Coyote's <c>PauseUntil</c> condition.</summary>
    public Func<bool> CanRun { get; }

    private void Run()
    {
        SetCurrent(this);
        Exception? error = null;
        try
        {
            Microsoft.Coyote.Runtime.Operation.OnStarted(_operation);
            _execution.OnResumed(this);
            _body();
        }
        catch (Exception e)
        {
            error = e;
        }
        try
        {
            _execution.OnThreadFinished(this, error);
        }
        catch (Exception e) when (CoyoteExecution.IsUnwinding(e))
        {
            // The iteration is over (a bug, or its end): nothing else to do on this thread.
        }
        // The OS thread ends right after this, and its thread-static with it.
        // Stryker disable Block,Statement : see above
        finally
        {
            SetCurrent(null);
        }
        // Stryker restore Block,Statement
    }
}
