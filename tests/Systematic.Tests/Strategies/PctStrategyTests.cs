using HighMemConcurrency.Systematic.Strategies;

namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// PCT driven directly, two threads at a time: which thread runs at each step is the whole of its semantics —
/// the highest initial priority runs until a change point lowers it, later change points lower below earlier ones,
/// change points are drawn from [1, k] for k the longest iteration seen, and a thread that keeps yielding gives way
/// after <see cref="PctStrategy.FairnessBound"/> steps in a row.
/// </summary>
public sealed class PctStrategyTests
{
    private static readonly int[] Both = [0, 1];

    private static PctStrategy Started(ulong seed, int depth, int iteration = 1)
    {
        var pct = new PctStrategy(seed, depth);
        Assert.True(pct.InitializeIteration(iteration));
        pct.OnThreadCreated(0);
        pct.OnThreadCreated(1);
        return pct;
    }

    /// <summary>
    /// The thread chosen at steps 0 … <paramref name="last"/>, each step's current thread being the one chosen before
    /// (step 0 is never a change point: it shows the highest initial priority).
    /// </summary>
    private static int[] Run(PctStrategy pct, int last, bool yields = false, int[]? enabled = null, int from = 0, int? current = null)
    {
        enabled ??= Both;
        var chosen = new int[last - from + 1];
        var running = current ?? -1;
        for (var step = from; step <= last; step++)
            running = chosen[step - from] = pct.NextThread(enabled, running, running >= 0, yields, step);
        return chosen;
    }

    /// <summary>The steps at which the running thread changed.</summary>
    private static List<int> Switches(int[] chosen)
    {
        var switches = new List<int>();
        for (var i = 1; i < chosen.Length; i++)
            if (chosen[i] != chosen[i - 1]) switches.Add(i);
        return switches;
    }

    [Fact]
    public void Name_IsPct() => Assert.Equal("pct", new PctStrategy(1, 3).Name);

    [Fact]
    public void DepthOne_RunsTheHighestPriorityThreadOnly()
    {
        for (var iteration = 1; iteration <= 20; iteration++)
        {
            var chosen = Run(Started(5, depth: 1, iteration), 300);
            Assert.Empty(Switches(chosen));
        }
    }

    [Fact]
    public void InitialPriorities_AreDrawnPerIteration_SoEitherThreadMayStart()
    {
        var first = Enumerable.Range(1, 40).Select(i => Run(Started(5, 1, i), 0)[0]).ToHashSet();
        Assert.Equal([0, 1], first.Order());
    }

    /// <summary>Depth 2: one change point, where the running thread drops below the other; k starts at 16.</summary>
    [Fact]
    public void DepthTwo_SwitchesOnceAtAChangePointDrawnFromOneToSixteen()
    {
        var points = new SortedSet<int>();
        for (var iteration = 1; iteration <= 300; iteration++)
        {
            var chosen = Run(Started(11, depth: 2, iteration), 60);
            var switches = Switches(chosen);
            Assert.Single(switches);
            points.Add(switches[0]);
        }
        Assert.Equal(Enumerable.Range(1, 16), points);
    }

    /// <summary>
    /// Known answer: seed 11, iteration 1, depth 3 draws change points 1 + Next(16) = 14 and 16, then inserts T0 at
    /// Next(1) = 0 and T1 at Next(2) = 0, so T1 starts highest (worked out by hand from the SplitMix64 vector).
    /// </summary>
    [Fact]
    public void ChangePoints_AreAKnownAnswerForTheSeed()
    {
        var chosen = Run(Started(11, depth: 3), 40);
        Assert.Equal([14, 16], Switches(chosen));
        Assert.Equal(1, chosen[0]);
    }

    /// <summary>
    /// Depth 3: the first change point lowers the first thread to d − 1, the second lowers the other to d − 2, below
    /// it, so the first thread runs again: high, low, high.
    /// </summary>
    [Fact]
    public void LaterChangePoint_LowersBelowTheEarlierOne()
    {
        for (var iteration = 1; iteration <= 50; iteration++)
        {
            var chosen = Run(Started(13, depth: 3, iteration), 60);
            var switches = Switches(chosen);
            Assert.Equal(2, switches.Count);
            Assert.True(switches[0] < switches[1]);
            Assert.InRange(switches[1], 2, 16);
            Assert.Equal(chosen[0], chosen[^1]);
        }
    }

    /// <summary>
    /// The same as above with one strategy over many iterations, as a run uses it: which thread was lowered first in
    /// an earlier iteration does not carry over, so each iteration still ends with the thread it started with.
    /// </summary>
    [Fact]
    public void LoweredPriorities_DoNotCarryOverToTheNextIteration()
    {
        var pct = new PctStrategy(13, 3);
        var firsts = new HashSet<int>();
        for (var iteration = 1; iteration <= 50; iteration++)
        {
            Assert.True(pct.InitializeIteration(iteration));
            pct.OnThreadCreated(0);
            pct.OnThreadCreated(1);
            var chosen = Run(pct, 60);
            Assert.Equal(2, Switches(chosen).Count);
            Assert.Equal(chosen[0], chosen[^1]);
            firsts.Add(chosen[0]);
            pct.CompleteIteration(16);
        }
        Assert.Equal([0, 1], firsts.Order());
    }

    /// <summary>
    /// More change points than steps in k: every step of [1, 16] is one (the draw stops at k points), so steps 1 and 2
    /// lower the two threads in turn; a thread is lowered only from its initial priority, so nothing changes after.
    /// </summary>
    [Fact]
    public void DepthBeyondTheStepEstimate_MakesEveryStepAChangePoint()
    {
        for (var iteration = 1; iteration <= 10; iteration++)
            Assert.Equal([1, 2], Switches(Run(Started(17, depth: 40, iteration), 60)));
    }

    /// <summary>k is the longest iteration seen (Math.Max over completed iterations), so change points spread over it.</summary>
    [Fact]
    public void StepEstimate_IsTheLongestIterationSeen()
    {
        var pct = new PctStrategy(19, 2);
        Assert.True(pct.InitializeIteration(1));
        pct.CompleteIteration(64);
        pct.CompleteIteration(8);   // a shorter iteration does not shrink k
        var latest = 0;
        for (var iteration = 2; iteration <= 201; iteration++)
        {
            Assert.True(pct.InitializeIteration(iteration));
            pct.OnThreadCreated(0);
            pct.OnThreadCreated(1);
            var switches = Switches(Run(pct, 100));
            Assert.Single(switches);
            Assert.InRange(switches[0], 1, 64);
            latest = Math.Max(latest, switches[0]);
            pct.CompleteIteration(1);
        }
        Assert.True(latest > 48, $"latest change point {latest}: k did not grow to 64");
    }

    /// <summary>
    /// k restarts at each block of <see cref="SystematicTest.IterationBlock"/> iterations, so a run that starts at a block
    /// (another worker, another shard) draws the same change points as one long run.
    /// </summary>
    [Fact]
    public void StepEstimate_RestartsAtEachIterationBlock()
    {
        var pct = new PctStrategy(19, 2);
        Assert.True(pct.InitializeIteration(SystematicTest.IterationBlock));
        pct.CompleteIteration(64);
        var latest = 0;
        for (var iteration = SystematicTest.IterationBlock + 1; iteration <= SystematicTest.IterationBlock + 200; iteration++)
        {
            Assert.True(pct.InitializeIteration(iteration));
            pct.OnThreadCreated(0);
            pct.OnThreadCreated(1);
            var switches = Switches(Run(pct, 100));
            latest = Math.Max(latest, Assert.Single(switches));
            pct.CompleteIteration(1);
        }
        Assert.InRange(latest, 1, 16);
    }

    /// <summary>
    /// A yielding thread runs its first step and then <see cref="PctStrategy.FairnessBound"/> more in a row while the
    /// other is enabled; then it drops below every thread, the other runs as long, and so on.
    /// </summary>
    [Fact]
    public void YieldingThread_GivesWayAfterTheFairnessBound()
    {
        const int block = PctStrategy.FairnessBound + 1;
        var chosen = Run(Started(5, depth: 1), 3 * block + 10, yields: true);
        Assert.Equal([block, 2 * block, 3 * block], Switches(chosen));
    }

    [Fact]
    public void ThreadThatDoesNotYield_IsNeverDemoted()
    {
        var chosen = Run(Started(5, depth: 1), 3 * PctStrategy.FairnessBound, yields: false);
        Assert.Empty(Switches(chosen));
    }

    /// <summary>Steps a thread runs alone do not count towards the bound, and a thread alone is never demoted.</summary>
    [Fact]
    public void StepsAlone_DoNotCountTowardsTheFairnessBound()
    {
        var pct = Started(5, depth: 1);
        var high = Run(pct, 0)[0];
        int[] alone = [high];
        // 1,000 steps side by side without yielding, then one alone while yielding: no demotion, and the run restarts.
        Run(pct, PctStrategy.FairnessBound, yields: false, from: 1, current: high);
        Assert.Equal(high, Run(pct, PctStrategy.FairnessBound + 1, yields: true, enabled: alone, from: PctStrategy.FairnessBound + 1, current: high)[0]);
        var after = Run(pct, 3000, yields: false, from: PctStrategy.FairnessBound + 2, current: high);
        Assert.All(after, t => Assert.Equal(high, t));
        // 500 yielding steps alone, then yielding side by side: the bound counts from the first shared step.
        var again = Started(5, depth: 1);
        Run(again, 500, yields: true, enabled: alone);
        var shared = Run(again, 500 + 2 * PctStrategy.FairnessBound, yields: true, from: 501, current: high);
        Assert.Equal([PctStrategy.FairnessBound], Switches(shared));   // it ran before: the first shared step is in a row
    }

    [Fact]
    public void Choices_AreDeterministicPerSeedAndInRange()
    {
        int[] Draw(ulong seed)
        {
            var pct = Started(seed, 3);
            return Enumerable.Range(0, 50).Select(_ => pct.NextChoice(7, 1)).ToArray();
        }
        var a = Draw(23);
        Assert.Equal(a, Draw(23));
        Assert.NotEqual(a, Draw(24));
        Assert.All(a, v => Assert.InRange(v, 0, 6));
        Assert.Equal(7, a.Distinct().Count());
    }
}
