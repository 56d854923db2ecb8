using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Source-set dynamic partial order reduction with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic
/// partial order reduction", POPL 2014, Algorithm 1 "source-DPOR"), run statelessly: each iteration replays a
/// prefix of the exploration tree and extends it. It runs at least one schedule of every Mazurkiewicz trace (every
/// class of schedules equal up to swapping adjacent independent steps) and, thanks to the sleep sets, never two
/// complete schedules of the same class; a schedule that reaches a point where every enabled thread sleeps is
/// "sleep-set blocked": it is finished without further decisions (any bug it meets is still real) and not counted.
/// So when the search is exhausted without a bug, <see cref="Interleavings"/> is exactly the number of traces and no
/// schedule of the test can reach a bug the test checks for.
/// <para>
/// Dependency is <see cref="Dependency.Dependent"/>: operations on one SimVar/SimAtomic with a write; lock and
/// condition operations sharing a lock or condition; a join and the joined thread; and WaitUntil and custom
/// scheduling points, which are treated as dependent with every step of every other thread because their condition
/// or the code after them reads and writes model state the engine cannot see. That is conservative (sound, more
/// traces), never optimistic. After an iteration, happens-before is rebuilt over its steps (program order, spawn,
/// and every dependent pair in schedule order); each race e ⋖ e′ (dependent steps of different threads, ordered only
/// by their own dependency) asks for a schedule that runs e′'s thread first: if no initial of notdep(e).e′ is in
/// the backtrack set before e, one is added. A lock is special: a release and the blocked acquire after it cannot
/// be swapped, so that race is taken back to the releasing thread's own acquire (acquire–acquire is the order that
/// can change). When no initial can run at that point (it waits on something) every awake enabled thread is added,
/// which keeps the search complete for blocking operations at the cost of extra blocked schedules.
/// </para>
/// Value choices (<see cref="Sim.Choose"/>, which waiter a signal wakes) branch exhaustively, as in DFS.
/// </summary>
internal sealed class DporStrategy : IExplorationStrategy
{
    private sealed class Node
    {
        public bool IsChoice;
        public int ChoiceCount;
        public int Chosen;                      // a thread id, or a value for a choice node
        public int[] Enabled = [];
        public PendingOperation[] Ops = [];     // parallel to Enabled
        public List<(int Thread, PendingOperation Op)> Sleep = [];   // asleep on arrival
        public List<int> Backtrack = [];        // threads to run from here; includes Done and Chosen
        public List<int> Done = [];             // threads whose subtree from here is fully explored

        public PendingOperation OpOf(int thread) => Ops[Array.IndexOf(Enabled, thread)];

        public bool Asleep(int thread)
        {
            foreach (var s in Sleep) if (s.Thread == thread) return true;
            return Done.Contains(thread);
        }
    }

    // Invariant: _path is the exploration tree's current branch; [0, _position) has been replayed or extended in
    // this iteration; an iteration that stops short (which a deterministic test never does: an earlier schedule went
    // on past the replayed prefix) backtracks from where it stopped. _freshFrom is the first path index whose decision is new in this iteration (races of steps at
    // or after it have not been analysed yet). _blocked: this iteration hit a sleep-set-blocked point and records
    // no more decisions. _spawner[t] is the index (among thread steps of this iteration) of the step that created t.
    private readonly List<Node> _path = [];
    private int _position;
    private int _freshFrom;
    private bool _blocked;
    private int _threadSteps;
    private readonly Dictionary<int, int> _spawner = [];
    private IPendingOperations? _view;
    private readonly ObjectNumbering _objects = new();
    private readonly List<int> _stepsCache = [];
    private long _traces;
    private long _blockedSchedules;

    public string Name => "dpor";

    public bool IsExhausted { get; private set; }

    public long? Interleavings => _traces;

    public string? Summary =>
        $"{_traces} distinct interleavings (Mazurkiewicz traces), {_blockedSchedules} sleep-set-blocked schedules" +
        (IsExhausted ? "; every trace explored" : "");

    public bool InitializeIteration(int iteration)
    {
        _position = 0;
        _blocked = false;
        _threadSteps = 0;
        // Stryker disable once Statement : a thread that steps in an iteration was spawned in it by a step, which rewrites its entry; entries of threads not spawned are never read
        _spawner.Clear();
        _objects.Reset();
        return !IsExhausted;
    }

    public void OnExecutionStarted(IPendingOperations threads) => _view = threads;

    private IPendingOperations View => _view ?? throw new InvalidOperationException("dpor needs the pending operations of the execution");

    public void OnThreadCreated(int threadId)
    {
        if (_threadSteps > 0) _spawner[threadId] = _threadSteps - 1;
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        if (_blocked) return RoundRobin(enabled, current, currentEnabled, currentYields, _ => true);
        if (_position < _path.Count)
        {
            var replayed = _path[_position++];
            if (replayed.IsChoice || !enabled.Contains(replayed.Chosen))
                throw new NondeterministicTestException(step, "a thread decision");
            foreach (var t in enabled) _objects.Canonical(View.Pending(t));   // numbers objects in the recorded order
            _threadSteps++;
            return replayed.Chosen;
        }

        var node = new Node { Enabled = enabled.ToArray(), Ops = new PendingOperation[enabled.Length], Sleep = InheritedSleep() };
        for (var i = 0; i < enabled.Length; i++) node.Ops[i] = _objects.Canonical(View.Pending(enabled[i]));
        var chosen = RoundRobin(enabled, current, currentEnabled, currentYields, t => !node.Asleep(t));
        if (chosen < 0)
        {
            _blocked = true;
            return RoundRobin(enabled, current, currentEnabled, currentYields, _ => true);
        }
        node.Chosen = chosen;
        node.Backtrack.Add(chosen);
        _path.Add(node);
        _position++;
        _threadSteps++;
        return chosen;
    }

    public int NextChoice(int count, int step)
    {
        if (_blocked) return 0;
        if (_position < _path.Count)
        {
            var replayed = _path[_position++];
            if (!replayed.IsChoice || replayed.ChoiceCount != count)
                throw new NondeterministicTestException(step, "a value choice");
            return replayed.Chosen;
        }
        _path.Add(new Node { IsChoice = true, ChoiceCount = count });
        _position++;
        return 0;
    }

    public void CompleteIteration(int steps)
    {
        _path.RemoveRange(_position, _path.Count - _position);
        if (_blocked) _blockedSchedules++;
        else _traces++;
        AddBacktrackPoints();

        while (_path.Count > 0)
        {
            var last = _path[^1];
            if (last.IsChoice)
            {
                if (last.Chosen + 1 < last.ChoiceCount)
                {
                    last.Chosen++;
                    _freshFrom = _path.Count - 1;
                    return;
                }
            }
            else
            {
                last.Done.Add(last.Chosen);
                var awake = last.Backtrack.Where(t => !last.Asleep(t)).ToList();
                if (awake.Count > 0)
                {
                    last.Chosen = awake.Min();
                    _freshFrom = _path.Count - 1;
                    return;
                }
            }
            _path.RemoveAt(_path.Count - 1);
        }
        IsExhausted = true;
    }

    // The sleep set on arrival at a new node: what slept (or was done) at the previous thread node and is
    // independent of the step taken there.
    private List<(int, PendingOperation)> InheritedSleep()
    {
        var sleep = new List<(int, PendingOperation)>();
        for (var i = _path.Count - 1; i >= 0; i--)
        {
            var parent = _path[i];
            if (parent.IsChoice) continue;
            var op = parent.OpOf(parent.Chosen);
            foreach (var s in parent.Sleep)
                if (!Dependency.Dependent(s.Thread, s.Op, parent.Chosen, op)) sleep.Add(s);
            foreach (var t in parent.Done)
            {
                var tOp = parent.OpOf(t);
                if (!Dependency.Dependent(t, tOp, parent.Chosen, op)) sleep.Add((t, tOp));
            }
            break;
        }
        return sleep;
    }

    // The deterministic choice among allowed threads: the current one while it may go on, else the next id after it.
    private static int RoundRobin(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, Func<int, bool> allowed)
    {
        var stay = currentEnabled && !currentYields;
        var start = 0;
        while (start < enabled.Length && (stay ? enabled[start] < current : enabled[start] <= current)) start++;
        foreach (var t in enabled[start..]) if (allowed(t)) return t;
        foreach (var t in enabled[..start]) if (allowed(t)) return t;
        return -1;
    }

    // Happens-before over this iteration's thread steps, and a backtrack point for every race whose later step is new.
    private void AddBacktrackPoints()
    {
        var steps = _stepsCache;   // path indices of thread nodes
        steps.Clear();
        for (var i = 0; i < _path.Count; i++) if (!_path[i].IsChoice) steps.Add(i);
        var n = steps.Count;
        var threadOf = new int[n];
        var opOf = new PendingOperation[n];
        var local = new int[n];
        var threads = 0;
        for (var k = 0; k < n; k++)
        {
            var node = _path[steps[k]];
            threadOf[k] = node.Chosen;
            opOf[k] = node.OpOf(node.Chosen);
            threads = Math.Max(threads, node.Chosen + 1);
        }
        var clocks = new int[n][];
        var latest = new int[threads][];   // each thread's clock after its latest step so far
        var count = new int[threads];
        for (var i = 0; i < n; i++)
        {
            var t = threadOf[i];
            int[] clock;
            if (latest[t] is { } mine) clock = (int[])mine.Clone();
            else
            {
                clock = new int[threads];
                if (_spawner.TryGetValue(t, out var parent)) Join(clock, clocks[parent]);   // the spawn precedes t's first step
            }
            local[i] = ++count[t];
            var fresh = steps[i] >= _freshFrom;
            for (var j = i - 1; j >= 0; j--)
            {
                if (threadOf[j] == t || !Dependency.Dependent(threadOf[j], opOf[j], t, opOf[i])) continue;
                if (fresh && clock[threadOf[j]] < local[j]) OnRace(j, i, steps, threadOf, opOf, local, clocks);
                Join(clock, clocks[j]);
            }
            clock[t] = local[i];
            clocks[i] = clock;
            latest[t] = clock;
        }
    }

    private void OnRace(int j, int i, List<int> steps, int[] threadOf, PendingOperation[] opOf, int[] local, int[][] clocks)
    {
        // A release and the blocked acquire that followed it cannot be swapped; the order that can change is the
        // releasing thread's own acquire of that lock against this one. A try-acquire can also run before the
        // release (and fail), so both races count for it.
        if (Dependency.IsAcquire(opOf[i].Kind) && opOf[j].Kind is OperationKind.LockExit or OperationKind.ConditionWait)
        {
            if (!Dependency.IsBlockingAcquire(opOf[i].Kind)) Reverse(j, i, steps, threadOf, local, clocks);
            var released = Dependency.LockOf(opOf[j]);
            // Stryker disable once Arithmetic : starting at j + 1 only adds steps j + 1 and j, neither an acquire of that lock by e_j's thread (one at j + 1 would be dependent with e_i and order e_j before it: no race)
            for (var k = j - 1; k >= 0; k--)
            {
                if (threadOf[k] != threadOf[j] || !Dependency.IsAcquire(opOf[k].Kind)) continue;
                if (ReferenceEquals(opOf[k].Target, released))
                {
                    Reverse(k, i, steps, threadOf, local, clocks);
                    return;
                }
            }
        }
        Reverse(j, i, steps, threadOf, local, clocks);
    }

    // Asks for a schedule that, from the state before e_j, runs e_i's side first. v = notdep(e_j).e_i: the later
    // steps that do not happen after e_j, then e_i; its initials are the threads whose first step in v has no
    // happens-before predecessor in v. If no initial is in the backtrack set before e_j, an awake enabled one is added.
    private void Reverse(int j, int i, List<int> steps, int[] threadOf, int[] local, int[][] clocks)
    {
        var at = _path[steps[j]];
        var pj = threadOf[j];
        var v = new List<int>();
        for (var k = j + 1; k < i; k++)
            if (clocks[k][pj] < local[j]) v.Add(k);
        var initials = new List<int>();
        foreach (var k in v)
        {
            if (initials.Contains(threadOf[k])) continue;
            var first = true;
            foreach (var m in v)
            {
                if (m >= k) break;
                if (clocks[k][threadOf[m]] >= local[m]) { first = false; break; }
            }
            if (first) initials.Add(threadOf[k]);
        }
        // e_i's own clock is still being built, so whether a step of v happens before it is asked of its direct
        // predecessors: some step of v happens before e_i exactly when one of them is in v (the last step of the
        // chain). They are its thread's earlier steps and the steps it depends on (Dependent holds within a thread);
        // its spawn need not be asked: a thread spawned after e_j cannot run before e_j, and an initial that is not
        // enabled there changes nothing below.
        var ti = threadOf[i];
        var opI = _path[steps[i]].OpOf(ti);
        if (!v.Exists(k => Dependency.Dependent(threadOf[k], _path[steps[k]].OpOf(threadOf[k]), ti, opI))) initials.Add(ti);

        foreach (var q in initials) if (at.Backtrack.Contains(q)) return;
        foreach (var q in initials)
        {
            if (at.Enabled.Contains(q) && !at.Asleep(q))
            {
                at.Backtrack.Add(q);
                // Stryker disable once Statement : the next loop returns at this q anyway (it is enabled)
                return;
            }
        }
        foreach (var q in initials) if (at.Enabled.Contains(q)) return;   // asleep: that order is already covered
        foreach (var q in at.Enabled)
            if (!at.Backtrack.Contains(q)) at.Backtrack.Add(q);
    }

    // All clocks of an iteration have one entry per thread that stepped in it.
    private static void Join(int[] into, int[] other)
    {
        for (var x = 0; x < into.Length; x++) into[x] = Math.Max(into[x], other[x]);
    }

    /// <summary>
    /// Names the primitives of an iteration so that steps of different iterations can be compared: each iteration
    /// creates its objects anew, but replaying a prefix observes them in the same order, so the k-th object observed
    /// gets the same key in every iteration sharing that prefix (objects first seen later get keys no earlier
    /// observation used). Keys are reused across iterations, so they compare by reference.
    /// </summary>
    private sealed class ObjectNumbering
    {
        private readonly Dictionary<object, object> _keyOf = new(ReferenceEqualityComparer.Instance);
        private readonly List<object> _keys = [];

        public void Reset() => _keyOf.Clear();

        public PendingOperation Canonical(PendingOperation op) => op.Target switch
        {
            ILockBoundTarget bound => op with { Target = new ConditionKey(Key(bound.Self), Key(bound.BoundLock)) },
            ISimObject => op with { Target = Key(op.Target) },
            _ => op,   // threads (compared by id), descriptions of custom points and waits (dependent anyway)
        };

        private object Key(object target)
        {
            if (_keyOf.TryGetValue(target, out var key)) return key;
            var index = _keyOf.Count;
            if (index == _keys.Count) _keys.Add(new object());
            _keyOf[target] = key = _keys[index];
            return key;
        }
    }
}

/// <summary>A condition variable as DPOR names it across iterations: its key and its lock's key.</summary>
internal sealed record ConditionKey(object Condition, object Lock) : ILockBoundTarget
{
    /// <inheritdoc />
    public object Self => Condition;

    /// <inheritdoc />
    public object BoundLock => Lock;
}
