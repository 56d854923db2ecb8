namespace HighMemConcurrency.Systematic.Tests.MemoryModels;

/// <summary>
/// Each operation the TSO engine takes as a full barrier, alone between a store and a later load of another object
/// on both sides of SB: the relaxed outcome 0,0 (reachable with no barrier, LitmusTests) must be gone under every
/// schedule DPOR explores. Each program puts every other barrier outside the store→load window, so each case checks
/// its own operation.
/// </summary>
public sealed class FullBarrierTests
{
    public static TheoryData<string> Barriers => new()
    {
        "atomic-add", "atomic-exchange", "atomic-compare-exchange", "lock-enter", "lock-exit", "lock-try-enter",
        "condition-signal", "condition-broadcast", "spawn", "join", "smp_mb",
    };

    /// <summary>One SB process: store to <paramref name="mine"/>, the barrier, load <paramref name="other"/>.</summary>
    private static int Process(string barrier, SimAtomic mine, SimAtomic other)
    {
        var own = new SimAtomic(0, "own");
        var l = new SimLock("l");
        var c = new SimCondition(l, "c");
        int r;
        switch (barrier)
        {
            case "atomic-add": mine.Store(1); own.Add(1); return other.Load();
            case "atomic-exchange": mine.Store(1); own.Exchange(1); return other.Load();
            case "atomic-compare-exchange": mine.Store(1); own.CompareExchange(1, 0); return other.Load();
            case "lock-enter": mine.Store(1); l.Enter(); r = other.Load(); l.Exit(); return r;
            case "lock-exit": l.Enter(); mine.Store(1); l.Exit(); return other.Load();
            case "lock-try-enter": mine.Store(1); Assert.True(l.TryEnter()); r = other.Load(); l.Exit(); return r;
            case "condition-signal": l.Enter(); mine.Store(1); c.Signal(); r = other.Load(); l.Exit(); return r;
            case "condition-broadcast": l.Enter(); mine.Store(1); c.Broadcast(); r = other.Load(); l.Exit(); return r;
            case "spawn": mine.Store(1); var t = Sim.Start("child", () => { }); r = other.Load(); t.Join(); return r;
            case "join":
                var done = Sim.Start("child", () => { });
                own.Load();   // the child may finish before or after the store
                mine.Store(1); done.Join(); return other.Load();
            default: mine.Store(1); Sim.MemoryBarrier(); return other.Load();
        }
    }

    [Theory, MemberData(nameof(Barriers))]
    public void A_full_barrier_between_store_and_load_forbids_the_store_buffering_outcome(string barrier)
    {
        var outcomes = Litmus.Outcomes(MemoryModel.Tso, () =>
        {
            var (x, y) = (new SimAtomic(0, "x"), new SimAtomic(0, "y"));
            int r0 = 0, r1 = 0;
            Litmus.Run(() => r0 = Process(barrier, x, y), () => r1 = Process(barrier, y, x));
            return Litmus.Show(r0, r1);
        });
        Assert.Equal(["0,1", "1,0", "1,1"], outcomes);
    }
}
