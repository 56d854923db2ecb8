using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// Interrupts nest on the interrupted task's kmap_ctrl (spec §2.6, "why it is interrupt-safe"): an NMI may arrive
/// between any two steps of kmap_local_page and kunmap_local and inside a context switch, pushes its own mapping
/// just above the interrupted task's idx and pops it before returning, leaving the task's entries alone. DFS lets
/// the one pending NMI fire at each point in turn; the states it finds are the steps of the spec's pseudo-code.
/// </summary>
public sealed class KmapLocalInterruptTests
{
    // Slot k of CPU0 in the default layout: fixmap index FIX_KMAP_BEGIN (4) + k, below FIXADDR_TOP (0xFFFFF000).
    private static uint Slot0(int k) => 0xFFFF_F000u - ((uint)(4 + k) << 12);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnNmi_CanLandBetweenEveryStepOfMapAndUnmap_AndMapsAboveTheInterruptedTop(bool noPreemptDisable)
    {
        var seen = new HashSet<string>();
        var report = SystematicTest.Run(() =>
        {
            var world = OnCpu.World(window: 4);   // one task per CPU: nothing preempts it, only the NMI comes
            var variant = noPreemptDisable ? LocalVariants.LocalNoPreemptDisable : null;
            var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = 4, Variant = variant }, world.Machine, world.Windows, world.Interrupts);
            var phase = "before";
            world.Machine.StartTask("t", 0, () =>
            {
                var task = KernelTask.Current!;
                var ctrl = kmap.Ctrl(task);
                world.Interrupts.RaiseNmi(0, "perf", _ =>
                {
                    var idx = ctrl.Idx;
                    var recorded = ctrl.Recorded(0);
                    var pte = world.Windows.Pte(0, 0);
                    seen.Add($"{phase}: idx {idx}, pteval[0] {(recorded is null ? "empty" : "set")}, slot 0 {(pte is null ? "empty" : "mapped")}");
                    var va = kmap.KmapLocalPage(world.HighPage(1));
                    Assert.Equal(Slot0(idx), va);
                    kmap.KunmapLocal(va);
                    Assert.Equal(idx, ctrl.Idx);
                    Assert.Equal(recorded, ctrl.Recorded(0));
                    Assert.Equal(pte, world.Windows.Pte(0, 0));
                });
                phase = "mapping";
                var a = kmap.KmapLocalPage(world.HighPage(0));
                phase = "holding";
                world.Interrupts.Window(task.Cpu);
                phase = "unmapping";
                kmap.KunmapLocal(a);
                phase = "after";
                world.Interrupts.Window(task.Cpu);
            });
            world.Machine.JoinAll();
        }, new TestOptions { Strategy = "dfs", Iterations = 200 });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");

        List<string> expected =
        [
            "mapping: idx 1, pteval[0] empty, slot 0 empty",     // push done, PTE not yet installed
            "mapping: idx 1, pteval[0] empty, slot 0 mapped",    // PTE live, not yet recorded
            "holding: idx 1, pteval[0] set, slot 0 mapped",
            "unmapping: idx 1, pteval[0] set, slot 0 empty",     // PTE cleared and flushed, pteval not yet forgotten
            "after: idx 0, pteval[0] empty, slot 0 empty",
        ];
        if (noPreemptDisable)
        {
            // Without preempt_disable/enable, the places of preempt_enable are plain interrupt points too.
            expected.Add("mapping: idx 1, pteval[0] set, slot 0 mapped");
            expected.Add("unmapping: idx 0, pteval[0] empty, slot 0 empty");
        }
        Assert.Equal(expected.Order(), seen.Order());
    }

    [Fact]
    public void AnNmi_CanLandBetweenSchedOutAndTheSwitch_AndBetweenTheSwitchAndSchedIn()
    {
        // t holds slot 0 of the one CPU across a context switch; q never maps. The log shows where the NMI nested.
        var logs = new List<List<string>>();
        var layout = new AddressLayout { NrCpus = 1, KmapWindow = 4 };
        var report = SystematicTest.Run(() =>
        {
            var log = new List<string>();
            logs.Add(log);
            var world = HighMemModel.Create(new HighMemConfig { Layout = layout });
            var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = 4 }, world.Machine, world.Windows, world.Interrupts);
            var pa = world.HighPage(0);
            world.Machine.StartTask("t", 0, () =>
            {
                var t = KernelTask.Current!;
                var a = kmap.KmapLocalPage(pa);
                world.Interrupts.RaiseNmi(0, "perf", _ =>
                {
                    var current = KernelTask.Current!;
                    var idx = kmap.Ctrl(current).Idx;
                    var slot0 = world.Windows.Pte(0, 0);
                    var tRecorded = kmap.Ctrl(t).Recorded(0);
                    log.Add($"nmi on {current.Name}: slot 0 {(slot0 is null ? "empty" : "mapped")}");
                    var va = kmap.KmapLocalPage(world.HighPage(1));
                    Assert.Equal(Slot0(idx), va);
                    kmap.KunmapLocal(va);
                    Assert.Equal(idx, kmap.Ctrl(current).Idx);
                    Assert.Equal(slot0, world.Windows.Pte(0, 0));
                    Assert.Equal(tRecorded, kmap.Ctrl(t).Recorded(0));
                });
                log.Add("t holds");
                t.Cpu.InterruptWindow();   // preemption point without an NMI window of its own
                log.Add("t resumes");
                world.Oracle.ReadExpect(t.Cpu, a, pa, world.Memory.Read(pa), "t");   // sched_in restored the PTE
                kmap.KunmapLocal(a);
            });
            world.Machine.StartTask("q", 0, () =>
            {
                for (var i = 0; i < 2; i++)
                {
                    log.Add("q runs");
                    KernelTask.Current!.Cpu.InterruptWindow();
                }
                log.Add("q runs");
            });
            world.Machine.JoinAll();
        }, new TestOptions { Strategy = "dfs", Iterations = 5000, PreemptionBound = 3 });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");

        bool Seen(params string[] run) =>
            logs.Any(l => Enumerable.Range(0, l.Count - run.Length + 1).Any(i => run.Select((s, j) => l[i + j] == s).All(b => b)));
        // After t's sched_out (its slot cleared) and before q runs: the NMI nests on the outgoing t.
        Assert.True(Seen("t holds", "nmi on t: slot 0 empty", "q runs"), "no NMI between t's sched_out and the switch to q");
        // After the switch and before q's sched_in: the NMI nests on the incoming q.
        Assert.True(Seen("t holds", "nmi on q: slot 0 empty", "q runs"), "no NMI between the switch to q and q's sched_in");
    }
}
