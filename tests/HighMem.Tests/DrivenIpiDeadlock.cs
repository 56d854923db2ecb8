using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Permanent;
using HighMemConcurrency.HighMem.Scenarios.Stress;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// A native stress run of H3 (irq-off-lock-ipi-flush) in which the test, not the scheduler's luck, makes the deadlock:
/// two CPUs, two pkmap slots. Task 0 maps and unmaps page 0 (slot 1, lazily kept at count 1, so the next new mapping
/// wraps and flushes). Then the test takes kmap_lock from outside any CPU, lets both tasks kmap a new page — each
/// disables its IRQs in lock_kmap and spins — and releases once both CPUs have IRQs off. Whichever CPU gets the lock
/// wraps, flushes slot 1 and waits, holding kmap_lock, for a TLB-shootdown ack from the other, which spins with IRQs
/// off and never gives it. Later operations do nothing, so a run that did not deadlock ends clean at its duration.
/// </summary>
internal sealed class DrivenIpiDeadlock
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly ScenarioParameters Parameters =
        new() { Cpus = 2, TasksPerCpu = 1, LastPkmap = 2, Pages = 3, OpsPerTask = 1, Variant = "irq-off-lock-ipi-flush" };

    private readonly ManualResetEventSlim _primed = new();
    private readonly ManualResetEventSlim _go = new();
    private HighMemModel? _model;

    /// <summary>Runs the stress driver with <paramref name="options"/> and drives the deadlock; returns its report.</summary>
    public static StressReport Run(StressOptions options)
    {
        var driven = new DrivenIpiDeadlock();
        var scenario = new PkmapScenario("driven-ipi-deadlock", "two CPUs kmap a wrapping page at once, both spinning on kmap_lock with IRQs off",
            Parameters, driven.Operation);
        StressReport? report = null;
        var run = new Thread(() => report = StressDriver.Run(scenario.Name, new PkmapStressWorkload(scenario, Parameters, options), Parameters, options,
            CancellationToken.None)) { IsBackground = true, Name = "driven-ipi-deadlock" };
        run.Start();
        driven.Drive();
        Assert.True(run.Join(Bound), "the stress run did not end");
        return report!;
    }

    // The test's side: hold kmap_lock until both CPUs spin on it with IRQs off, then let them have it.
    private void Drive()
    {
        Assert.True(_primed.Wait(Bound), "task 0 never mapped and unmapped page 0");
        var model = Volatile.Read(ref _model)!;
        var kmapLock = model.Pkmap.KmapLock;
        kmapLock.Lock();   // outside any CPU, as the stress run's invariant checker takes it
        _go.Set();
        var bothSpinning = SpinWait.SpinUntil(() => model.Machine.Cpus.All(c => c.IrqsDisabled), Bound);
        kmapLock.Unlock();   // before asserting, so a failure does not leave the tasks spinning
        Assert.True(bothSpinning, "the CPUs never both spun on kmap_lock with IRQs off");
    }

    private void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        if (op > 0) return;
        var pkmap = model.Pkmap;
        var pages = model.Memory.Pages;
        if (task == 0)
        {
            Volatile.Write(ref _model, model);
            pkmap.Kmap(pages[0]);
            pkmap.Kunmap(pages[0]);
            _primed.Set();
        }
        if (!_go.Wait(Bound)) throw new TimeoutException("the test never let the tasks go");
        pkmap.Kmap(pages[1 + task]);   // a page not mapped yet: whoever gets kmap_lock first wraps
        pkmap.Kunmap(pages[1 + task]);
    }
}
