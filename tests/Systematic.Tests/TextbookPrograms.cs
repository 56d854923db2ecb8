namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// Small concurrent programs with a known bug, each beside its corrected twin, written only with the engine's
/// primitives. Each method is a test body for <see cref="SystematicTest.Run"/>.
/// </summary>
internal static class TextbookPrograms
{
    /// <summary>Two threads do <c>x = x + 1</c> on a plain variable; with <paramref name="locked"/> under a lock.</summary>
    public static Action Counter(bool locked) => () =>
    {
        var x = new SimVar<int>(0, "counter");
        var l = new SimLock("counter_lock");
        void Increment()
        {
            if (locked) l.Enter();
            var v = x.Read();
            x.Write(v + 1);
            if (locked) l.Exit();
        }
        var a = Sim.Start("inc-a", Increment);
        var b = Sim.Start("inc-b", Increment);
        a.Join();
        b.Join();
        Sim.Assert(x.Peek == 2, $"lost update: counter is {x.Peek}, expected 2");
    };

    /// <summary>
    /// Check-then-wait: the consumer checks the flag under the lock, drops the lock, and re-takes it to wait, so a
    /// signal sent in between is lost (deadlock). The fixed twin checks and waits in one critical section.
    /// </summary>
    public static Action LostWakeup(bool fixedVersion) => () =>
    {
        var l = new SimLock("mutex");
        var ready = new SimCondition(l, "ready");
        var flag = new SimVar<bool>(false, "flag");
        var consumer = Sim.Start("consumer", () =>
        {
            l.Enter();
            if (fixedVersion)
            {
                while (!flag.Read()) ready.Wait();
                l.Exit();
                return;
            }
            var seen = flag.Read();
            l.Exit();
            if (seen) return;
            l.Enter();
            ready.Wait();
            l.Exit();
        });
        var producer = Sim.Start("producer", () =>
        {
            l.Enter();
            flag.Write(true);
            ready.Signal();
            l.Exit();
        });
        consumer.Join();
        producer.Join();
    };

    /// <summary>Two threads take locks A and B in opposite orders; the fixed twin takes them in one order.</summary>
    public static Action LockOrder(bool fixedVersion) => () =>
    {
        var a = new SimLock("A");
        var b = new SimLock("B");
        var t1 = Sim.Start("ab", () =>
        {
            a.Enter();
            b.Enter();
            b.Exit();
            a.Exit();
        });
        var t2 = Sim.Start("ba", () =>
        {
            var (first, second) = fixedVersion ? (a, b) : (b, a);
            first.Enter();
            second.Enter();
            second.Exit();
            first.Exit();
        });
        t1.Join();
        t2.Join();
    };

    /// <summary>
    /// Check-then-act on an atomic: each thread claims a slot if it reads it free, in two separate atomic
    /// operations, so both may claim it. The fixed twin claims with one compare-exchange.
    /// </summary>
    public static Action AtomicityViolation(bool fixedVersion) => () =>
    {
        var slot = new SimAtomic(0, "slot");
        var owners = new SimAtomic(0, "owners");
        void Claim(int me)
        {
            var claimed = fixedVersion
                ? slot.CompareExchange(me, 0) == 0
                : slot.Load() == 0 && Store(slot, me);
            if (claimed) owners.Add(1);
        }
        var t1 = Sim.Start("claim-1", () => Claim(1));
        var t2 = Sim.Start("claim-2", () => Claim(2));
        t1.Join();
        t2.Join();
        Sim.Assert(owners.Peek == 1, $"atomicity violation: {owners.Peek} threads claimed the slot");
    };

    private static bool Store(SimAtomic a, int value)
    {
        a.Store(value);
        return true;
    }

    /// <summary>A writer and a reader of a plain variable, with or without a lock around each access.</summary>
    public static Action UnprotectedVariable(bool locked) => () =>
    {
        var data = new SimVar<int>(0, "data");
        var l = new SimLock("data_lock");
        var writer = Sim.Start("writer", () =>
        {
            if (locked) l.Enter();
            data.Write(42);
            if (locked) l.Exit();
        });
        var reader = Sim.Start("reader", () =>
        {
            if (locked) l.Enter();
            _ = data.Read();
            if (locked) l.Exit();
        });
        writer.Join();
        reader.Join();
    };

    /// <summary>A thread throws once it observes the other thread's store; the fixed twin tolerates it.</summary>
    public static Action ThrowingThread(bool fixedVersion) => () =>
    {
        var stage = new SimAtomic(0, "stage");
        var t1 = Sim.Start("setter", () => stage.Store(1));
        var t2 = Sim.Start("checker", () =>
        {
            if (stage.Load() == 1 && !fixedVersion) throw new InvalidOperationException("stage advanced under my feet");
        });
        t1.Join();
        t2.Join();
    };

    /// <summary>A thread spins on <see cref="Sim.Yield"/> for a flag nobody sets; the fixed twin has a setter.</summary>
    public static Action YieldLoop(bool fixedVersion) => () =>
    {
        var flag = new SimAtomic(0, "flag");
        var spinner = Sim.Start("spinner", () =>
        {
            while (flag.Load() == 0) Sim.Yield();
        });
        if (fixedVersion) Sim.Start("setter", () => flag.Store(1)).Join();
        spinner.Join();
    };
}
