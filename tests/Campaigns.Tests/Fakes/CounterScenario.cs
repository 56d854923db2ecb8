using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Tests.Fakes;

/// <summary>
/// A tiny scenario for the CLI's own tests, written only with engine primitives so the commands can be tested
/// without the highmem model: one thread per CPU adds to a counter <c>OpsPerTask</c> times.
/// Variants: <c>split-add</c> (load, then store: a lost update, an assertion), <c>unlocked</c> (a plain variable
/// without the lock: a data race), <c>harmless</c> (documented as a deadlock but changes nothing: never found),
/// <c>stress-only</c> (its stress run reports a violation that its systematic test, the correct one, never shows).
/// </summary>
internal sealed class CounterScenario(string name = "counter") : IScenario
{
    public static readonly string[] KnownVariants = ["none", "split-add", "unlocked", "harmless", "stress-only"];

    public string Name => name;

    public string Description => "one thread per CPU adds to a shared counter under a lock";

    public ScenarioParameters Defaults { get; } = new() { Cpus = 2, OpsPerTask = 2, LastPkmap = 4, Pages = 1 };

    /// <summary>Called once per CreateTest; lets a test make the model fail.</summary>
    public Action? OnCreateTest { get; init; }

    public void Validate(ScenarioParameters parameters)
    {
        if (!KnownVariants.Contains(parameters.Variant))
            throw new ArgumentException($"unknown variant '{parameters.Variant}'", nameof(parameters));
        if (parameters.Cpus > 8) throw new ArgumentException("at most 8 CPUs", nameof(parameters));
    }

    public Action CreateTest(ScenarioParameters parameters)
    {
        OnCreateTest?.Invoke();
        var variant = parameters.Variant;
        return () =>
        {
            var counter = new SimAtomic(0, "counter");
            var plain = new SimVar<int>(0, "plain_counter");
            var counterLock = new SimLock("counter_lock");
            var threads = new List<SimThread>();
            for (var cpu = 0; cpu < parameters.Cpus; cpu++)
            {
                threads.Add(Sim.Start($"cpu{cpu}", () =>
                {
                    for (var op = 0; op < parameters.OpsPerTask; op++) Add(variant, counter, plain, counterLock);
                }));
            }
            foreach (var t in threads) t.Join();
            var expected = parameters.Cpus * parameters.OpsPerTask;
            var total = variant == "unlocked" ? plain.Peek : counter.Peek;
            Sim.Assert(total == expected, $"lost update: counter is {total}, expected {expected}");
        };
    }

    private static void Add(string variant, SimAtomic counter, SimVar<int> plain, SimLock counterLock)
    {
        switch (variant)
        {
            case "split-add":
                var seen = counter.Load();
                counter.Store(seen + 1);
                Sim.Note($"counter: {seen}→{seen + 1}");
                break;
            case "unlocked":
                plain.Write(plain.Read() + 1);
                break;
            default:
                counterLock.Enter();
                var before = counter.Load();
                counter.Store(before + 1);
                Sim.Note($"counter: {before}→{before + 1}");
                counterLock.Exit();
                break;
        }
    }

    public StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var perCpu = new long[parameters.Cpus];
        var gate = new object();
        long shared = 0;
        long acquisitions = 0;
        var threads = Enumerable.Range(0, parameters.Cpus).Select(cpu => new Thread(() =>
        {
            while (clock.Elapsed < options.Duration && !cancellation.IsCancellationRequested)
            {
                if (parameters.Variant == "split-add")
                {
                    var seen = Volatile.Read(ref shared);
                    Thread.SpinWait(20);
                    Volatile.Write(ref shared, seen + 1);
                }
                else
                {
                    lock (gate) shared++;
                    Interlocked.Increment(ref acquisitions);
                }
                perCpu[cpu]++;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var total = perCpu.Sum();
        options.Progress?.Report(new StressProgress(clock.Elapsed, total, total / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        var violations = shared == total ? new List<string>() : [$"counter is {shared}, expected {total} (lost updates)"];
        if (parameters.Variant == "stress-only") violations.Add("stress-only: a failure only free-running threads see");
        return new StressReport
        {
            Scenario = Name,
            Parameters = parameters,
            Elapsed = clock.Elapsed,
            Operations = total,
            OperationsPerCpu = perCpu,
            KmapLatency = new LatencySummary(total, 50, 90, 990, 5000),
            Counters = new Dictionary<string, long> { ["counter_lock acquisitions"] = acquisitions },
            InvariantChecks = 1,
            Violations = violations,
            Canceled = cancellation.IsCancellationRequested,
        };
    }
}
