using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Pkmap;

/// <summary>
/// A task that finds no free slot queues itself on pkmap_map_wait; from that instant any wake_up may make it
/// TASK_RUNNING — a kunmap_high that saw an earlier sleeper calls wake_up after dropping kmap_lock and wakes whoever is
/// queued by then. The kernel is fine with that (schedule() returns at once, the task rescans), so the model's P8 check
/// must be too: it once read the state after add_wait_queue and reported a correct stress run (slot-hog, two tasks
/// per CPU, perturbed, 2 of 61 runs). Here the wake_up comes deterministically: natively, a perturbation hook on the
/// queuing task wakes the queue the moment add_wait_queue releases its lock, as another CPU's wake_up would.
/// </summary>
public sealed class WokenAsItQueuesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Wakes pkmap_map_wait once, on the task named <paramref name="sleeper"/>, right after it has queued itself.</summary>
    private sealed class WakeAsItQueues(WaitQueueHead queue, string sleeper) : IPerturbation
    {
        private int _fired;

        public bool Fired => Volatile.Read(ref _fired) != 0;

        public void At(PerturbationPoint point, KernelTask task)
        {
            if (point != PerturbationPoint.AfterUnlock || task.Name != sleeper || task.WaitingOn != queue.Name) return;
            if (Interlocked.Exchange(ref _fired, 1) != 0) return;   // once (the wake_up below passes points too)
            queue.WakeUp();
        }

        public int ChooseCpu(KernelTask task, int cpus) => task.Cpu.Id;
    }

    [Fact]
    public void A_task_woken_the_moment_it_queues_for_a_free_slot_is_not_reported_and_maps_its_page_once_a_slot_frees()
    {
        var model = ModelHarness.Create(lastPkmap: 2, pages: 3, cpus: 2);
        var pages = model.Memory.Pages;
        var pkmap = model.Pkmap;
        var hook = new WakeAsItQueues(pkmap.PkmapMapWait, "sleeper");
        model.Machine.InstallPerturbation(hook);
        using var held = new ManualResetEventSlim();
        KernelTask? sleeper = null;
        uint mapped = 0;

        model.Machine.StartTask("holder", 1, () =>
        {
            pkmap.Kmap(pages[0]);
            pkmap.Kmap(pages[1]);   // both slots in use: the sleeper finds none
            held.Set();
            // Until the sleeper sleeps for real (after the woken first attempt has rescanned and queued again).
            Assert.True(SpinWait.SpinUntil(() => model.Machine.Aborted || hook.Fired && Volatile.Read(ref sleeper)?.Asleep == true, Bound),
                "the sleeper never slept");
            if (model.Machine.Aborted) return;   // the sleeper failed: JoinAll rethrows its exception
            pkmap.Kunmap(pages[0]);   // count 1, a sleeper queued: wake_up
            pkmap.Kunmap(pages[1]);
        });
        sleeper = model.Machine.StartTask("sleeper", 0, () =>
        {
            Assert.True(held.Wait(Bound), "the holder never mapped its pages");
            mapped = pkmap.Kmap(pages[2]);
            pkmap.Kunmap(pages[2]);
        });
        model.Machine.JoinAll();   // rethrows a task's exception: the old check, after add_wait_queue, failed P8 here

        Assert.True(hook.Fired, "the wake_up was never injected");
        Assert.NotEqual(0u, mapped);
        Assert.Equal(2L, model.Machine.Counters.Snapshot()["pkmap_map_wait.sleeps"]);   // the woken attempt, then the real sleep
    }
}
