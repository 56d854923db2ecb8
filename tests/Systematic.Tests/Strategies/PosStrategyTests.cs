using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Strategies;

namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// POS driven directly over fixed pending operations: T0 writes x, T1 reads x, T2 writes y. After each step the thread
/// that ran redraws its priority, and so does every other thread whose pending operation is dependent with the step
/// (T0 and T1 with each other; T2 with nobody); the highest priority runs. The expected schedules were worked out
/// from that rule and the SplitMix64 reference, independently of the implementation.
/// </summary>
public sealed class PosStrategyTests
{
    private sealed class FixedOperations(PendingOperation[] ops) : IPendingOperations
    {
        public PendingOperation Pending(int threadId) => ops[threadId];
    }

    private static readonly object X = new(), Y = new();

    private static int[] Schedule(ulong seed, int steps)
    {
        var pos = new PosStrategy(seed);
        Assert.Equal("pos", pos.Name);
        Assert.True(pos.InitializeIteration(1));
        pos.OnExecutionStarted(new FixedOperations(
        [
            new(OperationKind.VarWrite, X, 0),
            new(OperationKind.VarRead, X, 0),
            new(OperationKind.VarWrite, Y, 0),
        ]));
        for (var t = 0; t < 3; t++) pos.OnThreadCreated(t);
        int[] enabled = [0, 1, 2];
        var chosen = new int[steps];
        for (var s = 0; s < steps; s++) chosen[s] = pos.NextThread(enabled, s == 0 ? -1 : chosen[s - 1], true, false, s + 1);
        return chosen;
    }

    [Theory]
    [InlineData(5UL, new[] { 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 2, 2 })]
    [InlineData(6UL, new[] { 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1 })]
    public void Schedule_IsTheKnownAnswerOfTheRedrawRule(ulong seed, int[] expected) =>
        Assert.Equal(expected, Schedule(seed, expected.Length));

    [Fact]
    public void WithoutTheExecutionsPendingOperations_ItRefusesToChoose()
    {
        var pos = new PosStrategy(1);
        pos.InitializeIteration(1);
        pos.OnThreadCreated(0);
        var e = Assert.Throws<InvalidOperationException>(() => pos.NextThread([0], -1, false, false, 1));
        Assert.Contains("pos needs the pending operations", e.Message);
    }

    /// <summary>Thread ids beyond the initial table (8) get priorities too.</summary>
    [Fact]
    public void ManyThreads_AllGetPriorities()
    {
        var pos = new PosStrategy(2);
        pos.InitializeIteration(1);
        var ops = Enumerable.Range(0, 20).Select(_ => new PendingOperation(OperationKind.Yield, null, 0)).ToArray();
        pos.OnExecutionStarted(new FixedOperations(ops));
        for (var t = 0; t < 20; t++) pos.OnThreadCreated(t);
        var all = Enumerable.Range(0, 20).ToArray();
        var seen = new HashSet<int>();
        for (var s = 1; s <= 400; s++) seen.Add(pos.NextThread(all, -1, false, false, s));
        Assert.True(seen.Count > 15, $"only {seen.Count} of 20 threads ever ran");
        Assert.Contains(19, seen);
    }
}
