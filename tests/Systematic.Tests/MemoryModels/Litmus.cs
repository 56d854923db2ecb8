namespace HighMemConcurrency.Systematic.Tests.MemoryModels;

/// <summary>
/// Runs a litmus program under every schedule (DPOR, or DFS without a preemption bound, until exhausted) and collects its
/// outcomes: each program's main thread starts the processes, joins them, and names what they saw and what memory
/// holds in one string. Race detection is off: litmus programs race by design (their accesses are the kernel's
/// marked ones, READ_ONCE/WRITE_ONCE, which <see cref="SimAtomic"/> stands for).
/// </summary>
internal static class Litmus
{
    public static SortedSet<string> Outcomes(MemoryModel model, Func<string> program, int storeBufferSize = 8, string strategy = "dpor")
    {
        var outcomes = new SortedSet<string>(StringComparer.Ordinal);
        var report = SystematicTest.Run(() => outcomes.Add(program()), new TestOptions
        {
            Strategy = strategy,
            PreemptionBound = null,
            Iterations = 1_000_000,
            DetectDataRaces = false,
            MemoryModel = model,
            StoreBufferSize = storeBufferSize,
        });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.Exhausted, $"{strategy} did not exhaust the program: {report}");
        return outcomes;
    }

    /// <summary>Starts one thread per body (P0, P1, ...) and joins them all.</summary>
    public static void Run(params Action[] processes)
    {
        var threads = processes.Select((p, k) => Sim.Start($"P{k}", p)).ToList();
        foreach (var t in threads) t.Join();
    }

    /// <summary>
    /// The options of a weak-memory test that runs a program until its bug: unbounded preemptions, races off (the
    /// programs race by design), 10,000 iterations, seed 3.
    /// </summary>
    public static TestOptions Options(string strategy, MemoryModel model) => new()
    {
        Strategy = strategy,
        MemoryModel = model,
        Iterations = 10_000,
        PreemptionBound = null,
        DetectDataRaces = false,
        Seed = 3,
    };

    /// <summary>Every strategy of our engine, by name.</summary>
    public static TheoryData<string> Strategies => new(SystematicTest.Strategies.Select(s => s.Name));

    /// <summary>
    /// <paramref name="bug"/>'s trace names <paramref name="model"/> in its options and replays to the same trace and
    /// interleaving, byte for byte.
    /// </summary>
    public static void AssertReplaysByteForByte(Action program, BugReport bug, string model)
    {
        using (var doc = System.Text.Json.JsonDocument.Parse(bug.TraceJson))
            Assert.Equal(model, doc.RootElement.GetProperty("options").GetProperty("memoryModel").GetString());
        var replayed = SystematicTest.Replay(program, bug.TraceJson, new TestOptions { FirstIteration = bug.Iteration });
        Assert.Equal(bug.TraceJson, replayed.Bug!.TraceJson);
        Assert.Equal(bug.Interleaving, replayed.Bug.Interleaving);
    }

    /// <summary>"r0,r1,...": the values in order.</summary>
    public static string Show(params int[] values) => string.Join(",", values);
}
