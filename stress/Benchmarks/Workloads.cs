using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>The programs the engine benchmarks run, shared by the benchmarks and the quick measurement.</summary>
public static class Workloads
{
    /// <summary>
    /// The counter test as Coyote's was measured (MACHINE-FACTS): 4 controlled threads × 50 increments of a plain
    /// int under a lock, with a scheduling point inside and after the locked section.
    /// </summary>
    public static void Counter()
    {
        var l = new SimLock("counter");
        var counter = 0;
        var threads = new SimThread[4];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = Sim.Start($"inc-{t}", () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    l.Enter();
                    Sim.Yield();
                    counter++;
                    l.Exit();
                    Sim.Yield();
                }
            });
        }
        foreach (var t in threads) t.Join();
        Sim.Assert(counter == 200, "lost increment");
    }

    /// <summary>Steps in one <see cref="PingPong"/> iteration's exchanges; every one of them switches thread.</summary>
    public const int PingPongRounds = 500;

    /// <summary>
    /// Two threads pass a turn back and forth: at every exchange the running thread becomes disabled and exactly one
    /// other thread is enabled, so every step is an OS handoff — the engine's switching step in isolation.
    /// </summary>
    public static void PingPong()
    {
        var turn = 0;
        void Player(int me)
        {
            for (var i = 0; i < PingPongRounds; i++)
            {
                Sim.WaitUntil(() => turn == me, "my turn");
                turn = 1 - me;
            }
        }
        var a = Sim.Start("ping", () => Player(0));
        var b = Sim.Start("pong", () => Player(1));
        a.Join();
        b.Join();
    }

    /// <summary>Steps of <see cref="SingleThread"/>: none of them can switch.</summary>
    public const int SingleThreadSteps = 10_000;

    /// <summary>One thread doing atomic adds: every step stays on the same thread.</summary>
    public static void SingleThread()
    {
        var a = new SimAtomic();
        for (var i = 0; i < SingleThreadSteps; i++) a.Add(1);
    }
}
