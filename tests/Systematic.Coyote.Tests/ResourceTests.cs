using System.Diagnostics;

namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>
/// Coyote leaves our threads parked and keeps every explored path's trace unless the engine cleans up at the end of
/// each iteration (COYOTE-FACTS pitfalls 1 and 5): threads and memory stay flat over a long run.
/// The figures are process-wide, so the class runs alone (<see cref="ProcessWideMeasurements"/>): another class's
/// <c>CoyoteTest.Run</c> beside it would start and end threads and allocate between the two readings.
/// </summary>
[Collection(ProcessWideMeasurements.Name)]
public sealed class ResourceTests
{
    [Fact]
    public void Threads_and_memory_stay_flat_over_2000_iterations()
    {
        var test = Programs.CleanCounter(threads: 2, increments: 1);
        var options = new TestOptions { Strategy = "random", Iterations = 200, Seed = 11 };
        CoyoteTest.Run(test, options);   // warm up: JIT, Coyote's statics
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var heapBefore = HeapAfterCollection();

        var report = CoyoteTest.Run(test, options with { Iterations = 2000 });

        var threadsAfter = Process.GetCurrentProcess().Threads.Count;
        var heapAfter = HeapAfterCollection();
        Assert.Null(report.Bug);
        Assert.Equal(2000, report.IterationsRun);
        // Each iteration starts 3 OS threads (6,000 in all): a leak of even one per iteration would be in the thousands.
        Assert.True(threadsAfter - threadsBefore < 20, $"threads grew from {threadsBefore} to {threadsAfter}");
        // Coyote's coverage alone would keep ≈1–2 KB per iteration of this test; the bound allows noise, not growth.
        Assert.True(heapAfter - heapBefore < 8 * 1024 * 1024, $"heap grew from {heapBefore:N0} to {heapAfter:N0} bytes");
    }

    private static long HeapAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>
/// Tests that read process-wide figures (thread count, heap size): xunit runs this collection after the parallel
/// ones, with nothing else running, so only the test's own work moves the figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    /// <summary>The collection's name.</summary>
    public const string Name = "process-wide measurements";
}
