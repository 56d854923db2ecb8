using System.Collections.Concurrent;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// Scheduling steps per iteration of each benchmark case, as its runs report them: BenchmarkDotNet times an
/// iteration, and a step rate needs how many steps one took (it differs by engine and strategy). The benchmarks run
/// in process (<see cref="FastJobConfig"/>), so the columns read what the benchmark methods recorded.
/// </summary>
public static class StepTally
{
    private static readonly ConcurrentDictionary<string, (long Steps, long Iterations)> Totals = new();

    /// <summary>Adds one run's steps and iterations to the case <paramref name="key"/>.</summary>
    public static void Add(string key, long steps, long iterations) =>
        Totals.AddOrUpdate(key, (steps, iterations), (_, t) => (t.Steps + steps, t.Iterations + iterations));

    /// <summary>Mean steps per iteration of the case, or null when it never ran.</summary>
    public static double? StepsPerIteration(string key) =>
        Totals.TryGetValue(key, out var t) && t.Iterations > 0 ? (double)t.Steps / t.Iterations : null;
}
