using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;
using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// One iteration: its controlled threads, the single scheduling turn they pass around, the decisions and steps
/// taken, and the first bug. Exactly one controlled thread runs at a time; the thread at a scheduling point asks
/// the strategy who runs next and, if it is someone else, wakes that thread and parks itself. It is our engine's
/// side of <see cref="IControlledRuntime"/>: the primitives own their waits and clocks, this class owns the turn.
/// </summary>
internal sealed class Execution : IControlledRuntime, IPendingOperations
{

    private readonly IExplorationStrategy _strategy;
    private readonly WorkerPool _pool;
    private readonly List<ControlledThread> _threads = [];

    // Everything the strategy schedules, by id: the threads and, under TSO, each thread's store buffer (the id after
    // its thread's). Under SC it holds exactly _threads, in the same order.
    private readonly List<RuntimeThread> _entities = [];
    private readonly HandoffGate _done;
    private readonly IterationRecord _record = new();
    private int[] _enabled = new int[8];
    private int _unfinished;

    // The scheduling turn: 0 free, 1 held by the running thread inside scheduler code, 2 taken by the watchdog.
    private int _turn;
    private int _progress;
    private ControlledThread? _running;

    // decisions and log are reused across iterations (cleared here) so that long iterations do not regrow them.
    public Execution(TestOptions options, IExplorationStrategy strategy, WorkerPool pool, int iteration,
        List<Decision> decisions, StepLog log, Causality causality)
    {
        decisions.Clear();
        log.Clear();
        causality.Reset(options.DetectDataRaces);
        Causality = causality;
        Decisions = decisions;
        Log = log;
        Options = options;
        _strategy = strategy;
        _pool = pool;
        _done = new HandoffGate(options.Handoff);
        if (options.MemoryModel == MemoryModel.Arm) Weak = new WeakMemory(options.StoreBufferSize);
        Iteration = iteration;
        Id = ExecutionIds.Next();
    }

    public long Id { get; }
    public int Iteration { get; }
    public TestOptions Options { get; }
    public Causality Causality { get; }
    public WeakMemory? Weak { get; }
    public int Step { get; private set; }

    /// <summary>Steps that handed the turn to a different OS thread (each costs an OS handoff).</summary>
    public int Switches { get; private set; }
    public List<Decision> Decisions { get; }
    public StepLog Log { get; }
    public BugKind? BugKind => _record.BugKind;
    public string? BugMessage => _record.BugMessage;

    /// <summary>An error of the harness itself (trace divergence, nondeterministic test) rather than a bug.</summary>
    public Exception? InternalError { get; private set; }

    public volatile bool Aborting;

    PendingOperation IPendingOperations.Pending(int threadId)
    {
        var t = _entities[threadId];
        if (t is StoreBufferThread buffer) return new PendingOperation(OperationKind.Drain, buffer.Store.OldestTarget, 0);
        // An operation that will also drain the thread's buffer (a barrier, or a store into a full buffer) writes
        // every object buffered there: POS and DPOR must treat it as touching anything.
        if (t.Buffer is { Count: > 0 } own && (IsFullBarrier(t.PendingKind)
            || (own.Count == own.Capacity && t.PendingKind is OperationKind.VarWrite or OperationKind.AtomicStore)))
            return new PendingOperation(OperationKind.Custom, "drains its store buffer", 0);
        // Under Arm every full barrier meets every other in one view (smp_mb as an SC fence): the order of any two
        // matters, so they are announced as touching anything.
        if (t.Views is not null && IsScFence(t.PendingKind))
            return new PendingOperation(OperationKind.Custom, "a full barrier", 0);
        return new PendingOperation(t.PendingKind, t.PendingTarget, t.PendingArg);
    }

    public string ThreadLabel(int id) => _entities[id].Label;

    // ------------------------------------------------------------------ lifecycle (harness thread)

    /// <summary>Creates the main thread for <paramref name="body"/>, schedules it and waits until the iteration ends.</summary>
    public void Run(Action body)
    {
        _strategy.OnExecutionStarted(this);
        NewThread("main", body);
        ControlledThread first;
        try
        {
            first = ChooseNext(null, currentEnabled: false);
        }
        catch (ExecutionCanceledException)
        {
            return;
        }
        first.Worker.Gate.Signal();
        WaitForCompletion();
    }

    private void WaitForCompletion()
    {
        var timeout = Options.UncontrolledTimeout;
        // Stryker disable once Arithmetic : how often the watchdog looks changes only how soon after the timeout it reports
        var poll = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.TicksPerMillisecond, 250 * TimeSpan.TicksPerMillisecond));
        var lastProgress = Volatile.Read(ref _progress);
        var quiet = Stopwatch.StartNew();
        while (!_done.Wait(poll))
        {
            var progress = Volatile.Read(ref _progress);
            if (progress != lastProgress)
            {
                lastProgress = progress;
                quiet.Restart();
                // Stryker disable once Statement : with the clock just restarted the next test continues anyway
                continue;
            }
            // Stryker disable once Equality : a tie with the timeout, to the tick
            if (quiet.Elapsed < timeout) continue;
            // Inside scheduler code a thread is normally not stuck, unless a WaitUntil condition itself blocks: give
            // it one more timeout, then take over anyway so the harness never hangs.
            // Stryker disable once all : when the watchdog takes over (one timeout or two) changes how late the same report comes, not what it says
            if (!Aborting && Interlocked.CompareExchange(ref _turn, 2, 0) != 0 && quiet.Elapsed < timeout * 2) continue;
            // Stryker disable once Statement : closes the window of a few instructions before Orphaned is set, in which a thread still inside scheduler code could take the turn back: not reachable deterministically
            Volatile.Write(ref _turn, 2);
            var stuck = _running!;
            stuck.Orphaned = true;
            // Stryker disable once Statement : forgetting the worker keeps a spinning runaway off the run's CPU; without it Dispose shuts the worker down and the thread exits the same way when it comes back
            _pool.Discard(stuck.Worker);
            RecordBug(Systematic.BugKind.UncontrolledConcurrency,
                $"{stuck.Label} ran for {timeout.TotalMilliseconds:F0} ms without reaching a scheduling point: it blocked or " +
                $"spun outside the engine's primitives (a real lock, Monitor.Wait, Thread.Sleep, a Task, I/O). Its last " +
                $"operation was step {Step} ({stuck.PendingKind}); the thread was abandoned and the run carried on with fresh threads");
            Aborting = true;
            if (!HandToNextUnfinished()) return;
            // Stryker disable once Statement : gives the next thread's unwinding a whole timeout; without it the same report comes, one poll sooner
            quiet.Restart();
        }
    }

    // ------------------------------------------------------------------ called by controlled threads

    private ControlledThread NewThread(string name, Action body, int parent = -1)
    {
        var thread = new ControlledThread(this, _entities.Count, _threads.Count, name, body, _pool.Rent());
        thread.Worker.Assigned = thread;
        Causality.OnThreadCreated(thread.Id, parent);
        if (Weak is not null) thread.Views = WeakMemory.NewThread(parent < 0 ? null : _entities[parent].Views);
        _threads.Add(thread);
        _entities.Add(thread);
        _unfinished++;
        _strategy.OnThreadCreated(thread.Id);
        if (Options.MemoryModel == MemoryModel.Tso)
        {
            var buffer = new StoreBufferThread(this, _entities.Count, thread, Options.StoreBufferSize);
            thread.BufferEntityId = buffer.Id;
            _entities.Add(buffer);
            _strategy.OnThreadCreated(buffer.Id);
        }
        return thread;
    }

    /// <summary>The step's operation: the running thread creates a child (happens-before edge parent → child).</summary>
    public RuntimeThread Spawn(RuntimeThread parent, string name, Action body)
    {
        var child = NewThread(name, body, parent.Id);
        Log.SetResult(child.Number);
        return child;
    }

    /// <summary>
    /// A scheduling point: <paramref name="thread"/> announces the operation it is about to perform and what it may
    /// wait for, the strategy picks who runs the next step among the threads that can proceed, and the call returns
    /// once <paramref name="thread"/> has been chosen to perform it.
    /// </summary>
    public void SchedulingPoint(RuntimeThread thread, OperationKind kind, object? target, long arg = 0, IWaitCondition? wait = null)
    {
        var current = (ControlledThread)thread;
        EnterScheduler(current);
        current.PendingKind = kind;
        current.PendingTarget = target;
        current.PendingArg = arg;
        current.PendingWait = wait;
        ControlledThread next;
        try
        {
            next = ChooseNext(current, current.IsEnabled());
        }
        finally
        {
            Volatile.Write(ref _turn, 0);
        }
        if (next != current)
        {
            Switches++;
            next.Worker.Gate.Signal();
            current.Worker.Gate.Wait();
            if (current.Orphaned || Aborting) throw new ExecutionCanceledException();
        }
        current.PendingWait = null;
        if (current.Buffer is { Count: > 0 } buffer && IsFullBarrier(kind)) buffer.DrainAll();
        if (current.Views is { } views) Synchronise(views, kind, target);
    }

    /// <summary>
    /// What an operation orders under Arm, before it acts: a full barrier (smp_mb, and the first half of a
    /// value-returning atomic, whose second half <see cref="SimAtomic"/> takes after its store), a lock's acquire or
    /// release, a join, and a WaitUntil, whose condition read the newest stores of the locations it looked at.
    /// </summary>
    private void Synchronise(ThreadViews views, OperationKind kind, object? target)
    {
        var weak = Weak!;
        switch (kind)
        {
            case var _ when IsScFence(kind):
                weak.FullBarrier(views);
                break;
            case OperationKind.LockEnter or OperationKind.LockTryEnter or OperationKind.ConditionReacquire:
                weak.AcquireLock(views, Dependency.LockOf(new PendingOperation(kind, target, 0))!);
                break;
            case OperationKind.LockExit or OperationKind.ConditionWait:
                weak.ReleaseLock(views, Dependency.LockOf(new PendingOperation(kind, target, 0))!);
                break;
            case OperationKind.Join:
                views.Current.Join(((RuntimeThread)target!).Views!.Current);
                break;
            case OperationKind.WaitUntil:
                WeakMemory.SeePeeked(views);
                break;
        }
    }

    /// <summary>Operations that are full barriers under Arm: smp_mb and the value-returning atomics (LKMM's fully ordered RMWs).</summary>
    private static bool IsScFence(OperationKind kind) => kind is OperationKind.Fence or OperationKind.AtomicAdd
        or OperationKind.AtomicExchange or OperationKind.AtomicCompareExchange;

    /// <summary>
    /// Operations that drain the thread's store buffer before they act (TSO): x86's locked read-modify-writes, which
    /// the kernel's value-returning atomics and spin_lock are built from; lock release and the condition operations
    /// (stronger than x86, whose unlock is a plain store); starting and joining a thread; and smp_mb.
    /// </summary>
    private static bool IsFullBarrier(OperationKind kind) => kind is OperationKind.AtomicAdd or OperationKind.AtomicExchange
        or OperationKind.AtomicCompareExchange or OperationKind.LockEnter or OperationKind.LockTryEnter or OperationKind.LockExit
        or OperationKind.ConditionWait or OperationKind.ConditionReacquire or OperationKind.ConditionSignal
        or OperationKind.ConditionBroadcast or OperationKind.Spawn or OperationKind.Join or OperationKind.Fence;

    /// <summary>A scheduling point followed by a controlled choice of a value in [0, count).</summary>
    public int Choose(RuntimeThread current, int count)
    {
        SchedulingPoint(current, OperationKind.Choose, null, count);
        var value = NextChoice(count);
        Log.SetResult(value);
        return value;
    }

    /// <summary>A controlled value choice inside the running step (e.g. which waiter a signal wakes).</summary>
    public int NextChoice(int count)
    {
        if (count <= 1) return 0;
        int value;
        try
        {
            value = _strategy.NextChoice(count, Step);
        }
        catch (Exception e) when (e is TraceException or NondeterministicTestException)
        {
            InternalError = e;
            Aborting = true;
            throw new ExecutionCanceledException();
        }
        Decisions.Add(new Decision(DecisionKind.Choice, value));
        return value;
    }

    /// <summary>Records the bug (the first one wins), ends the iteration, and unwinds the calling thread.</summary>
    [DoesNotReturn]
    public void Fail(BugKind kind, string message)
    {
        RecordBug(kind, message);
        Aborting = true;
        throw new ExecutionCanceledException();
    }

    public void AddDeadlockExplainer(Func<string?> explain) => _record.AddDeadlockExplainer(explain);

    public void SetResult(long result) => Log.SetResult(result);

    public void Note(string text) => Log.AddNote(text);

    public void Cover(string eventName) => _record.Cover(eventName);

    /// <summary>The model events the iteration reached (<see cref="Sim.Cover"/>).</summary>
    public IReadOnlyCollection<string> Reached => _record.Reached;

    public int NextObjectIndex() => _record.NextObjectIndex();

    public bool EvaluatePredicate(Func<bool> predicate)
    {
        try
        {
            return _record.RunPure(predicate);
        }
        catch (Exception e)
        {
            RecordBug(Systematic.BugKind.UnhandledException, $"a WaitUntil condition threw {e.GetType().FullName}: {e.Message}");
            Aborting = true;
            throw new ExecutionCanceledException();
        }
    }

    /// <summary>Called on the worker after a controlled thread's body returned or threw.</summary>
    public void OnThreadFinished(ControlledThread thread, Exception? error)
    {
        // Stryker disable once Statement : a runaway comes back only after its run stopped at its report (the first bug ends a run), when nothing of the execution is read any more
        if (thread.Orphaned) return;
        if (error is not null and not ExecutionCanceledException && !Aborting)
        {
            RecordBug(Systematic.BugKind.UnhandledException,
                $"{thread.Label} threw {error.GetType().FullName}: {error.Message}\n{error.StackTrace}");
            Aborting = true;
        }
        if (!Aborting && Interlocked.CompareExchange(ref _turn, 1, 0) != 0) return;  // the watchdog took over

        thread.Finished = true;
        _unfinished--;
        _pool.Return(thread.Worker);

        if (!Aborting)
        {
            if (_unfinished == 0)
            {
                DrainRemainingStores(thread);
                _done.Signal();
                return;
            }
            ControlledThread? next = null;
            try
            {
                next = ChooseNext(thread, currentEnabled: false);
            }
            catch (ExecutionCanceledException)
            {
                // A deadlock or livelock was recorded; fall through to unwind the others.
            }
            Volatile.Write(ref _turn, 0);
            if (!Aborting)
            {
                Switches++;
                next!.Worker.Gate.Signal();
                return;
            }
        }
        if (!HandToNextUnfinished()) _done.Signal();
    }

    // ------------------------------------------------------------------ scheduling core

    private void EnterScheduler(ControlledThread current)
    {
        if (current.Orphaned || Aborting) throw new ExecutionCanceledException();
        _record.CheckNotInPureCode();
        if (Interlocked.CompareExchange(ref _turn, 1, 0) != 0) throw new ExecutionCanceledException();
    }

    /// <summary>
    /// Takes the next step: picks its thread and records the decision and the step. A store buffer the strategy picks
    /// (TSO) takes its step here, making its oldest store visible, and the strategy picks again.
    /// </summary>
    private ControlledThread ChooseNext(ControlledThread? current, bool currentEnabled)
    {
        while (true)
        {
            var next = TakeStep(current, currentEnabled);
            if (next is ControlledThread thread) return thread;
            Drain((StoreBufferThread)next);
            // The store may be what the current thread waits for (a WaitUntil condition reads memory).
            currentEnabled = current?.IsEnabled() ?? false;
        }
    }

    private void Drain(StoreBufferThread buffer)
    {
        Log.Record(buffer, OperationKind.Custom, $"store buffer: {buffer.Store.DescribeOldest()} becomes visible", 0);
        buffer.Store.DrainOldest();
    }

    private RuntimeThread TakeStep(ControlledThread? current, bool currentEnabled)
    {
        Step++;
        // Stryker disable once Arithmetic : the watchdog looks for a change, not for growth
        Volatile.Write(ref _progress, _progress + 1);   // only the turn holder writes it; the watchdog reads
        if (Step > Options.MaxSteps) Fail(Systematic.BugKind.Livelock, DescribeLivelock());

        var count = 0;
        foreach (var t in _entities)
        {
            // currentEnabled is current.IsEnabled() as its caller just evaluated it (false for a finished thread):
            // passing it spares evaluating a WaitUntil condition twice.
            // Stryker disable once Conditional : the same value either way, see above
            if (t == current ? currentEnabled : t.IsEnabled())
            {
                if (count == _enabled.Length) Array.Resize(ref _enabled, count * 2);
                _enabled[count++] = t.Id;
            }
        }
        if (count == 0) Fail(Systematic.BugKind.Deadlock, DescribeDeadlock());

        int id;
        try
        {
            // Stryker disable once Unary : with no current thread (the first step) main is the only thread, so every strategy picks it whatever id stands for none
            id = _strategy.NextThread(_enabled.AsSpan(0, count), current?.Id ?? -1, currentEnabled,
                currentEnabled && current!.PendingKind == OperationKind.Yield, Step);
        }
        catch (Exception e) when (e is TraceException or NondeterministicTestException)
        {
            InternalError = e;
            Aborting = true;
            throw new ExecutionCanceledException();
        }
        Decisions.Add(new Decision(DecisionKind.Thread, id));
        var next = _entities[id];
        if (next is not ControlledThread thread) return next;
        Log.Record(thread, thread.PendingKind, thread.PendingTarget, thread.PendingArg);
        _running = thread;
        return thread;
    }

    /// <summary>
    /// Every thread has finished, but under TSO stores may still wait in their buffers (a thread's exit is not a
    /// barrier: its CPU drains them later). The strategy still orders the drains, since two buffers may hold stores
    /// to one object, so the memory the iteration ends with is part of the schedule.
    /// </summary>
    private void DrainRemainingStores(ControlledThread last)
    {
        if (_entities.Count == _threads.Count) return;
        try
        {
            while (_entities.Exists(e => e is StoreBufferThread { Store.Count: > 0 })) Drain((StoreBufferThread)TakeStep(last, currentEnabled: false));
        }
        catch (ExecutionCanceledException)
        {
            // the step bound was reached while draining: reported as a livelock
        }
    }

    private bool HandToNextUnfinished()
    {
        foreach (var t in _threads)
        {
            if (t.Finished || t.Orphaned) continue;
            _running = t;
            // Stryker disable once Statement : progress for the watchdog while threads unwind; it only delays a report of a thread stuck while unwinding
            Interlocked.Increment(ref _progress);
            t.Worker.Gate.Signal();
            return true;
        }
        return false;
    }

    private void RecordBug(BugKind kind, string message) => _record.RecordBug(kind, message);

    private string DescribeDeadlock() => _record.DescribeDeadlock(_threads);

    private string DescribeLivelock() => DeadlockReport.DescribeLivelock(_threads, Options.MaxSteps);
}
