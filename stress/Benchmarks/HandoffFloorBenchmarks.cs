using BenchmarkDotNet.Attributes;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// The OS handoff floor without the engine: the same number of plain threads as the ping-pong workload (two)
/// and as the counter test (five: main and four workers) passing a single turn round-robin, each thread waiting
/// on its own <see cref="ManualResetEventSlim"/> or <see cref="SemaphoreSlim"/>. One operation is one handoff.
/// </summary>
[Config(typeof(FastJobConfig))]
public class HandoffFloorBenchmarks
{
    private const int Handoffs = 20_000;

    [Params(2, 5)]
    public int Threads { get; set; }

    [Benchmark(OperationsPerInvoke = Handoffs, Description = "ManualResetEventSlim: one handoff")]
    public void ManualResetEvent() => Ring(() => new ManualResetEventSlim(false), e => e.Wait(), e => e.Reset(), e => e.Set());

    [Benchmark(OperationsPerInvoke = Handoffs, Description = "SemaphoreSlim: one handoff")]
    public void Semaphore() => Ring(() => new SemaphoreSlim(0), s => s.Wait(), _ => { }, s => s.Release());

    private void Ring<T>(Func<T> create, Action<T> wait, Action<T> reset, Action<T> signal)
    {
        var gates = Enumerable.Range(0, Threads).Select(_ => create()).ToArray();
        var remaining = Handoffs;
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            var mine = gates[i];
            var next = gates[(i + 1) % gates.Length];
            while (true)
            {
                wait(mine);
                reset(mine);
                if (remaining <= 0)       // only the thread holding the turn touches it
                {
                    signal(next);         // pass the news on so every thread leaves
                    return;
                }
                remaining--;
                signal(next);
            }
        }) { IsBackground = true }).ToArray();
        foreach (var t in threads) t.Start();
        signal(gates[0]);
        foreach (var t in threads) t.Join();
    }
}
