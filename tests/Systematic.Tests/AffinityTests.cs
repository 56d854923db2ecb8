using HighMemConcurrency.Systematic.Runtime;

namespace HighMemConcurrency.Systematic.Tests;

/// <summary>A run keeps its threads on one CPU (Linux), gives the caller its CPUs back, and runs spread over the CPUs.</summary>
public sealed class AffinityTests
{
    [Fact]
    public void ARun_KeepsEveryControlledThreadOnOneCpu_AndGivesTheCallerItsMaskBack()
    {
        var before = Affinity.CurrentMask();
        var masks = new List<ulong[]?>();
        var report = SystematicTest.Run(() =>
        {
            masks.Add(Affinity.CurrentMask());
            var children = Enumerable.Range(0, 3).Select(i => Sim.Start($"t{i}", () =>
            {
                Sim.Yield();
                masks.Add(Affinity.CurrentMask());   // only one controlled thread runs at a time
            })).ToList();
            foreach (var c in children) c.Join();
        }, new TestOptions { Strategy = "random", Iterations = 5 });

        Assert.Null(report.Bug);
        Assert.Equal(20, masks.Count);
        Assert.Equal(before, Affinity.CurrentMask());
        if (before is null) Assert.All(masks, Assert.Null);   // no affinity off Linux: nothing pinned
        else
        {
            Assert.All(masks, m => Assert.Equal(masks[0], m));
            Assert.Equal(1, masks[0]!.Sum(System.Numerics.BitOperations.PopCount));
        }
    }

    [Fact]
    public void Claims_TakeTheCpuWithTheFewestRuns()
    {
        // CPUs 1000 and 1001: no real run of this test process claims them, so the count is this test's alone.
        var allowed = new ulong[16];
        allowed[15] = 0b11UL << (1000 - 15 * 64);
        var first = Affinity.Claim(allowed);
        var second = Affinity.Claim(allowed);
        Affinity.Release(first);
        var third = Affinity.Claim(allowed);
        Affinity.Release(second);
        Affinity.Release(third);

        Assert.Equal([1000, 1001], new[] { first, second }.Order());
        Assert.Equal(first, third);
    }
}
