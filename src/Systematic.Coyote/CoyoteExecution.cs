using System.Diagnostics.CodeAnalysis;
using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Runtime;
using Microsoft.Coyote.Runtime;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// One Coyote iteration as the primitives see it (<see cref="IControlledRuntime"/>). Coyote decides who runs; this
/// class records what ran (steps, notes, the first bug) and finds deadlocks itself, from the primitives' own wait
/// conditions, while every thread is still paused — so a deadlock reads as our threads' waits plus the model's
/// explanations, never as Coyote's "Op(3) is paused on a dependency".
/// </summary>
internal sealed class CoyoteExecution : IControlledRuntime
{
    private readonly TestOptions _options;
    private readonly List<CoyoteThread> _threads = [];
    private readonly IterationRecord _record = new();
    private readonly ICoyoteRuntime _coyote;
    private CoyoteThread? _running;

    public CoyoteExecution(TestOptions options, int iteration, StepLog log, Causality causality, ICoyoteRuntime coyote)
    {
        log.Clear();
        causality.Reset(options.DetectDataRaces);
        _options = options;
        _coyote = coyote;
        Iteration = iteration;
        Log = log;
        Causality = causality;
        Id = ExecutionIds.Next();
    }

    public long Id { get; }
    public int Iteration { get; }
    public int Step { get; private set; }
    public int Switches { get; private set; }
    public Causality Causality { get; }

    /// <summary>Coyote runs only sequential consistency (<see cref="CoyoteTest"/> refuses the others).</summary>
    public WeakMemory? Weak => null;
    public StepLog Log { get; }
    public BugKind? BugKind => _record.BugKind;
    public string? BugMessage => _record.BugMessage;
    public IReadOnlyList<CoyoteThread> Threads => _threads;

    /// <summary>Set when the iteration is over: a thread that still calls a primitive is unwound.</summary>
    public volatile bool Aborting;

    /// <summary>True once every controlled thread has finished (the root operation waits for it).</summary>
    public bool AllFinished
    {
        get
        {
            foreach (var t in _threads) if (!t.Finished) return false;
            return true;
        }
    }

    public static bool IsUnwinding(Exception e) => e is ThreadInterruptedException or ExecutionCanceledException;

    // ------------------------------------------------------------------ root operation

    /// <summary>Runs on Coyote's root operation: starts the main thread and waits until every thread finished.</summary>
    public void RunRoot(Action body)
    {
        NewThread("main", body, parent: -1);
        Operation.PauseUntil(() => AllFinished || Aborting);
    }

    private CoyoteThread NewThread(string name, Action body, int parent)
    {
        var id = _threads.Count;
        var operation = Operation.CreateFrom(new OperationName($"T{id} '{name}'"))
            ?? throw new InvalidOperationException("Coyote is not controlling this thread: CoyoteTest runs tests only under its engine");
        var thread = new CoyoteThread(this, id, name, body, operation);
        Causality.OnThreadCreated(id, parent);
        _threads.Add(thread);
        Operation.Start(operation);
        thread.Os.Start();
        return thread;
    }

    // ------------------------------------------------------------------ IControlledRuntime

    public RuntimeThread Spawn(RuntimeThread parent, string name, Action body)
    {
        var child = NewThread(name, body, parent.Id);
        Log.SetResult(child.Id);
        return child;
    }

    public void SchedulingPoint(RuntimeThread thread, OperationKind kind, object? target, long arg = 0, IWaitCondition? wait = null)
    {
        var current = (CoyoteThread)thread;
        if (Aborting) throw new ExecutionCanceledException();
        _record.CheckNotInPureCode();
        current.PendingKind = kind;
        current.PendingTarget = target;
        current.PendingArg = arg;
        current.PendingWait = wait;
        if (wait is null || CanProceed(current)) Operation.ScheduleNext();
        // Not (or no longer) able to proceed: wait where Coyote can see it, unless nobody else can run either.
        while (wait is not null && !CanProceed(current))
        {
            if (Aborting) throw new ExecutionCanceledException();
            if (!AnyEnabled()) Fail(Systematic.BugKind.Deadlock, DescribeDeadlock());
            Operation.PauseUntil(current.CanRun);
        }
        OnResumed(current);
    }

    public int Choose(RuntimeThread current, int count)
    {
        SchedulingPoint(current, OperationKind.Choose, null, count);
        var value = NextChoice(count);
        Log.SetResult(value);
        return value;
    }

    // Stryker disable once Conditional,Equality : RandomInteger(1) is 0 too; the test only saves Coyote a decision
    public int NextChoice(int count) => count <= 1 ? 0 : _coyote.RandomInteger(count);

    [DoesNotReturn]
    public void Fail(BugKind kind, string message)
    {
        RecordBug(kind, message);
        Aborting = true;
        // Coyote ends the iteration (and keeps its trace) on a failed assertion; it unwinds this thread itself.
        _coyote.Assert(false, "{0}", $"{kind}: {message}");
        // Stryker disable once Statement : Coyote's failed assertion has thrown already; this satisfies [DoesNotReturn]
        throw new ExecutionCanceledException();
    }

    public void SetResult(long result) => Log.SetResult(result);

    public void Note(string text) => Log.AddNote(text);

    public void Cover(string eventName) => _record.Cover(eventName);

    /// <summary>The model events the iteration reached (<see cref="Sim.Cover"/>).</summary>
    public IReadOnlyCollection<string> Reached => _record.Reached;

    public void AddDeadlockExplainer(Func<string?> explain) => _record.AddDeadlockExplainer(explain);

    public string ThreadLabel(int id) => _threads[id].Label;

    public int NextObjectIndex() => _record.NextObjectIndex();

    public bool EvaluatePredicate(Func<bool> predicate)
    {
        try
        {
            return _record.RunPure(predicate);
        }
        catch (Exception e)
        {
            // Coyote may evaluate the condition on another thread, inside its scheduler: record the bug and let the
            // waiter run, so that it fails on its own thread when it resumes.
            RecordBug(Systematic.BugKind.UnhandledException, $"a WaitUntil condition threw {e.GetType().FullName}: {e.Message}");
            return true;
        }
    }

    // ------------------------------------------------------------------ thread lifecycle

    /// <summary>Coyote chose <paramref name="thread"/>: it performs its pending operation as the next step.</summary>
    public void OnResumed(CoyoteThread thread)
    {
        if (Aborting) throw new ExecutionCanceledException();
        if (BugKind is { } kind) Fail(kind, BugMessage!);   // a WaitUntil condition threw while we were paused
        Step++;
        if (Step > _options.MaxSteps) Fail(Systematic.BugKind.Livelock, DeadlockReport.DescribeLivelock(_threads, _options.MaxSteps));
        if (_running is not null && _running != thread) Switches++;
        _running = thread;
        Log.Record(thread, thread.PendingKind, thread.PendingTarget, thread.PendingArg);
        thread.PendingWait = null;
    }

    /// <summary>On the thread itself, after its body returned or threw.</summary>
    public void OnThreadFinished(CoyoteThread thread, Exception? error)
    {
        if (error is not null && IsUnwinding(error) || Aborting)
        {
            thread.Finished = true;
            return;
        }
        if (error is not null)
            Fail(Systematic.BugKind.UnhandledException, $"{thread.Label} threw {error.GetType().FullName}: {error.Message}\n{error.StackTrace}");
        thread.Finished = true;
        if (!AllFinished && !AnyEnabled()) Fail(Systematic.BugKind.Deadlock, DescribeDeadlock());
        Operation.OnCompleted();
        Operation.ScheduleNext();
    }

    /// <summary>
    /// The end of the iteration (Coyote's end-of-iteration callback): unwinds every thread still parked — in
    /// Coyote's wait or in a real blocking call — and waits for it, so that no thread outlives its iteration. A thread
    /// that ignores the interrupt for two uncontrolled timeouts is left behind (false); a real Monitor.Wait wakes at once.
    /// </summary>
    public bool Cleanup()
    {
        // Stryker disable once Arithmetic : how long to wait differs only for a thread left behind (see CoyoteEngine.Run)
        var patience = _options.UncontrolledTimeout * 2;
        Aborting = true;
        foreach (var t in _threads) if (t.Os.IsAlive) t.Os.Interrupt();
        var allGone = true;
        foreach (var t in _threads)
        {
            // Stryker disable once all : a thread is unstarted only if Coyote refused its operation, which ends the run
            if (t.Os.ThreadState.HasFlag(ThreadState.Unstarted)) continue;
            // Stryker disable once Assignment : differs only for a thread left behind (see CoyoteEngine.Run)
            allGone &= t.Os.Join(patience);
        }
        return allGone;
    }

    /// <summary>Coyote itself failed the iteration (its hang monitor, its own deadlock check): say it in our words.</summary>
    public void OnCoyoteFailure(string text)
    {
        if (text.StartsWith("Potential deadlock or hang", StringComparison.Ordinal))
        {
            var stuck = _running;
            var who = stuck?.Label ?? "the test body";
            RecordBug(Systematic.BugKind.UncontrolledConcurrency,
                $"{who} ran for {_options.UncontrolledTimeout.TotalMilliseconds:F0} ms without reaching a scheduling point: it blocked or " +
                $"spun outside the engine's primitives (a real lock, Monitor.Wait, Thread.Sleep, a Task, I/O). Its last " +
                $"operation was step {Step} ({stuck?.PendingKind}); the thread was interrupted at the end of the iteration");
        }
        else if (text.StartsWith("Deadlock detected", StringComparison.Ordinal))
        {
            RecordBug(Systematic.BugKind.Deadlock, "deadlock: " + text);
        }
        else
        {
            RecordBug(Systematic.BugKind.UnhandledException, "Coyote reported: " + text);
        }
    }

    // ------------------------------------------------------------------ helpers

    // Stryker disable once Logical : a thread paused when the iteration aborts is also interrupted by Cleanup; it unwinds either way
    internal bool CanProceed(CoyoteThread thread) => thread.Finished || Aborting || thread.IsEnabled();

    private bool AnyEnabled()
    {
        foreach (var t in _threads) if (t.IsEnabled()) return true;
        return false;
    }

    private void RecordBug(BugKind kind, string message) => _record.RecordBug(kind, message);

    private string DescribeDeadlock() => _record.DescribeDeadlock(_threads);
}
