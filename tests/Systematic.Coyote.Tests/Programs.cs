namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>Small programs with a known bug, written only with the primitives: test bodies for either engine.</summary>
internal static class Programs
{
    /// <summary>Two threads do <c>x = x + 1</c> on an atomic without a lock: a lost update.</summary>
    public static Action LostUpdate(bool locked) => () =>
    {
        var x = new SimAtomic(0, "counter");
        var l = new SimLock("counter_lock");
        void Increment()
        {
            if (locked) l.Enter();
            var v = x.Load();
            x.Store(v + 1);
            if (locked) l.Exit();
        }
        var a = Sim.Start("inc-a", Increment);
        var b = Sim.Start("inc-b", Increment);
        a.Join();
        b.Join();
        Sim.Assert(x.Peek == 2, $"lost update: counter is {x.Peek}, expected 2");
    };

    /// <summary>
    /// Runs <paramref name="buggy"/> in about one iteration in <paramref name="odds"/> (a controlled choice) and
    /// <paramref name="clean"/> in the others: a bug that takes a run many iterations to find.
    /// </summary>
    public static Action OneIn(int odds, Action buggy, Action clean) => () => (Sim.Choose(odds) == 0 ? buggy : clean)();

    /// <summary>Two threads write a plain variable with no synchronisation: a data race.</summary>
    public static Action Race() => () =>
    {
        var x = new SimVar<int>(0, "shared");
        var a = Sim.Start("writer-a", () => x.Write(1));
        var b = Sim.Start("writer-b", () => x.Write(2));
        a.Join();
        b.Join();
    };

    /// <summary>Locks A and B taken in opposite orders: a deadlock, explained by the model.</summary>
    public static Action LockOrder() => () =>
    {
        var a = new SimLock("A");
        var b = new SimLock("B");
        Sim.OnDeadlock(() => "lock order A→B vs B→A");
        var t1 = Sim.Start("ab", () => { a.Enter(); b.Enter(); b.Exit(); a.Exit(); });
        var t2 = Sim.Start("ba", () => { b.Enter(); a.Enter(); a.Exit(); b.Exit(); });
        t1.Join();
        t2.Join();
    };

    /// <summary>A thread that never stops yielding: the step bound calls it a livelock.</summary>
    public static Action Spinner() => () =>
    {
        var flag = new SimAtomic(0, "never");
        while (flag.Load() == 0) Sim.Yield();
    };

    /// <summary>A controlled thread blocks in a real Monitor.Wait that nothing will pulse.</summary>
    public static Action RealMonitorWait(object gate, List<Thread>? sleepers = null) => () =>
    {
        var t = Sim.Start("sleeper", () =>
        {
            if (sleepers is not null) lock (sleepers) sleepers.Add(Thread.CurrentThread);
            lock (gate) System.Threading.Monitor.Wait(gate);
        });
        t.Join();
    };

    /// <summary>The counter under its lock, with a choice: many steps, no bug.</summary>
    public static Action CleanCounter(int threads, int increments) => () =>
    {
        var x = new SimAtomic(0, "counter");
        var l = new SimLock("counter_lock");
        var list = new List<SimThread>();
        for (var i = 0; i < threads; i++)
            list.Add(Sim.Start($"inc-{i}", () =>
            {
                for (var k = 0; k < increments; k++)
                {
                    l.Enter();
                    x.Store(x.Load() + 1);
                    l.Exit();
                }
            }));
        foreach (var t in list) t.Join();
        Sim.Assert(x.Peek == threads * increments, "lost update");
    };
}
