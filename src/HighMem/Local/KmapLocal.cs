using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.LocalVariants;

namespace HighMemConcurrency.HighMem.Local;

/// <summary>
/// kmap_local_page / kunmap_local (5.11+, spec §2.6): a per-task stack (<see cref="KmapCtrl"/>) whose slots live in
/// the window of the CPU the task runs on; migration is disabled while the task holds any; a context switch clears
/// the outgoing task's slots and restores the incoming task's from its recorded PTE values, without touching idx.
/// Invariants L1–L4 (spec §5 items 18–21) are checked at the boundaries where they must hold.
/// </summary>
public sealed partial class KmapLocal
{
    private readonly KmapWindows _windows;
    private readonly InterruptInjector _interrupts;
    private readonly TaskLocal<KmapCtrl> _ctrl;
    private readonly Machine _machine;

    /// <summary>Creates kmap_local on <paramref name="machine"/> and hooks its context switches.</summary>
    public KmapLocal(LocalKmapConfig config, Machine machine, KmapWindows windows, InterruptInjector interrupts)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        ArgumentNullException.ThrowIfNull(machine);
        _windows = windows ?? throw new ArgumentNullException(nameof(windows));
        _interrupts = interrupts ?? throw new ArgumentNullException(nameof(interrupts));
        if (windows.Layout.KmapWindow != config.KmMaxIdx)
            throw new ArgumentException($"the layout's window ({windows.Layout.KmapWindow}) must equal KM_MAX_IDX ({config.KmMaxIdx})");
        _ctrl = new TaskLocal<KmapCtrl>(_ => new KmapCtrl(config.KmMaxIdx));
        machine.AddContextSwitchHooks(new ContextSwitchHooks(SchedOut, SchedIn));
        _machine = machine;
        machine.AddExitCheck(HeldAtExit);
        windows.Tables.AddPteOwner(OwnsPte);
    }

    /// <summary>The configuration.</summary>
    public LocalKmapConfig Config { get; }

    /// <summary>The kmap_ctrl of <paramref name="task"/>.</summary>
    public KmapCtrl Ctrl(KernelTask task) => _ctrl.Of(task);

    /// <summary>
    /// True when <paramref name="va"/> is a live entry of <paramref name="task"/>'s stack in the window of the CPU it
    /// runs on (interrupt entries nested on the task count as its own).
    /// </summary>
    public bool HoldsSlot(KernelTask task, uint va)
    {
        ArgumentNullException.ThrowIfNull(task);
        var layout = _windows.Layout;
        if (!layout.IsKmapWindow(va)) return false;
        var rel = layout.VirtToFix(va) - layout.FixKmapBegin;
        var ctrl = Ctrl(task);
        var k = rel - task.Cpu.Id * layout.KmapWindow;
        return k >= 0 && k < ctrl.Idx && k < layout.KmapWindow && !IsGuard(k) && ctrl.PteVal[k] != 0;
    }

    /// <summary>kmap_local_page(page).</summary>
    public uint KmapLocalPage(int pfn)
    {
        var task = KernelTask.Current ?? throw new InvalidOperationException("kmap_local_page outside a kernel task");
        var layout = _windows.Layout;
        if (!layout.IsHighMem(pfn)) return layout.LowmemAddress(pfn);
        if (Config.Variant != LocalNoMigrateDisable) task.MigrateDisable();
        var cpu = task.Cpu;
        if (Config.Variant != LocalNoPreemptDisable) cpu.PreemptDisable();
        var ctrl = Ctrl(task);
        var k = Push(ctrl, task, cpu);
        cpu.Machine.Counters.AddInContext("kmap_local", cpu.Context);
        // The deepest a task can go: one more push would be BUG_ON(idx >= KM_MAX_IDX).
        if (ctrl.Idx + Config.KmIncr >= Config.KmMaxIdx) cpu.Machine.Counters.Add("kmap_local.deepest");
        _interrupts.Window(task.Cpu);
        cpu = task.Cpu;   // unchanged unless the model is broken (no preempt/migrate disable)
        var va = _windows.Install(cpu, k, pfn, bugIfMapped: true, "__kmap_local_pfn_prot", $"kmap_local slot {k}", pte: KmapGetPte(cpu.Id, k));
        _interrupts.Window(task.Cpu);
        ctrl.PteVal[k] = pfn + 1;   // recorded only once the PTE is live
        if (Sim.IsControlled) Sim.Note($"{task.Name} kmap_local(pfn {pfn}) = 0x{va:x8} (slot {k}, CPU{cpu.Id})");
        if (Config.Variant != LocalNoPreemptDisable) task.Cpu.PreemptEnable();
        else _interrupts.Window(task.Cpu);
        CheckL1(task);
        return va;
    }

    /// <summary>kunmap_local(va): clears the top slot (which must be <paramref name="va"/>'s) and pops.</summary>
    public void KunmapLocal(uint va)
    {
        var task = KernelTask.Current ?? throw new InvalidOperationException("kunmap_local outside a kernel task");
        var layout = _windows.Layout;
        var a = X86Layout.PageAlign(va);
        if (!layout.IsKmapWindow(a))
        {
            KernelWarning.WarnOn(a < X86Layout.PageOffset, $"kunmap_local: 0x{va:x8} is below PAGE_OFFSET");
            return;
        }
        var cpu = task.Cpu;
        if (Config.Variant != LocalNoPreemptDisable) cpu.PreemptDisable();
        var ctrl = Ctrl(task);
        CheckL2(task, ctrl, "kunmap_local");
        var k = ctrl.Idx - 1;
        var top = _windows.Address(cpu.Id, k);
        KernelWarning.WarnOn(a != top, $"kunmap_local_indexed: 0x{va:x8} is not the top of {task.Name}'s kmap stack (slot {k} of CPU{cpu.Id}, 0x{top:x8})");
        _windows.Clear(cpu.Id, k, pte: KmapGetPte(cpu.Id, k));
        KmapWindows.LocalFlush(cpu, top);
        _interrupts.Window(task.Cpu);
        // With an empty stack k is -1 (on CPU c > 0 its address is CPU c-1's last slot, so the LIFO check passes):
        // the kernel's pteval[-1] write lands outside the array (x86-32 non-PAE: on idx, zeroing it) and pop's
        // BUG_ON(idx < 0) reports the unbalanced unmap; the model skips the write instead of crashing on it.
        if (k >= 0) ctrl.PteVal[k] = 0;
        Pop(ctrl, task);
        if (Config.Variant != LocalNoPreemptDisable) task.Cpu.PreemptEnable();
        else _interrupts.Window(task.Cpu);
        if (Config.Variant != LocalNoMigrateDisable) task.MigrateEnable();
        CheckL1(task);
    }

    /// <summary>
    /// kmap_atomic(page) since 5.11 (non-PREEMPT_RT): preempt_disable, pagefault_disable, then a local mapping on
    /// the same per-task stack, so atomic and local mappings nest and unmap in one LIFO order.
    /// </summary>
    public uint KmapAtomic(int pfn, PagefaultState pagefaults)
    {
        ArgumentNullException.ThrowIfNull(pagefaults);
        var task = KernelTask.Current ?? throw new InvalidOperationException("kmap_atomic outside a kernel task");
        task.Cpu.PreemptDisable();
        pagefaults.Disable();
        return KmapLocalPage(pfn);
    }

    /// <summary>__kunmap_atomic(va) since 5.11: kunmap_local, pagefault_enable, preempt_enable.</summary>
    public void KunmapAtomic(uint va, PagefaultState pagefaults)
    {
        ArgumentNullException.ThrowIfNull(pagefaults);
        var task = KernelTask.Current ?? throw new InvalidOperationException("kunmap_atomic outside a kernel task");
        KunmapLocal(va);
        pagefaults.Enable();
        task.Cpu.PreemptEnable();
    }

    /// <summary>L4 (spec §5 item 21): a task returning to user mode (here: finishing) holds no local mapping.</summary>
    public void AssertNoMap(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var idx = _ctrl.Peek(task)?.Idx ?? 0;
        if (idx != 0) Sim.Fail(BugKind.AssertionFailure, $"invariant L4 violated: {task.Name} ends with {idx} kmap_local mapping(s) (kmap_assert_nomap)");
    }

    // The task's exit check (kmap_assert_nomap on the way back to user space, spec §5 item 21), and that no position
    // above idx still records a PTE value: sched_in restores the recorded values, so one kunmap_local forgot is a
    // mapping waiting to come back.
    private string? HeldAtExit(KernelTask task)
    {
        if (_ctrl.Peek(task) is not { } ctrl) return null;
        if (ctrl.Idx > 0)
        {
            var slots = Enumerable.Range(0, Math.Min(ctrl.Idx, Config.KmMaxIdx)).Where(k => ctrl.Recorded(k) is not null)
                .Select(k => $"slot {k} of CPU{task.Cpu.Id} maps pfn {ctrl.Recorded(k)}").ToList();
            return $"kmap_local: idx is {ctrl.Idx} (kmap_assert_nomap: a kmap_local_page without its kunmap_local)" +
                   (slots.Count > 0 ? $": {string.Join(", ", slots)}" : "");
        }
        for (var k = 0; k < Config.KmMaxIdx; k++)
            if (ctrl.Recorded(k) is { } pfn)
                return $"kmap_local: pteval[{k}] still records pfn {pfn} although idx is 0 (a kunmap_local that did not clear the value sched_in restores)";
        return null;
    }

    // A window PTE is live while a task on that CPU records it below its idx (at quiescence: none).
    private bool OwnsPte(uint va, int pfn)
    {
        var layout = _windows.Layout;
        if (!layout.IsKmapWindow(va)) return false;
        var rel = layout.VirtToFix(va) - layout.FixKmapBegin;
        var (cpu, k) = (rel / layout.KmapWindow, rel % layout.KmapWindow);
        return _machine.Tasks.Any(t => t.Cpu.Id == cpu && _ctrl.Peek(t) is { } ctrl && k < ctrl.Idx && ctrl.Recorded(k) == pfn);
    }

    private int Push(KmapCtrl ctrl, KernelTask task, Cpu cpu)
    {
        if (ctrl.Idx == 0) ctrl.FirstCpu = cpu.Id;
        ctrl.Idx += Config.KmIncr;
        KernelWarning.WarnOn(cpu.InHardIrq && !cpu.IrqsDisabled, $"kmap_local_idx_push: nestable hardirq kmap on CPU{cpu.Id}");
        if (ctrl.Idx >= Config.KmMaxIdx)
            throw new KernelBugException($"kernel BUG at kmap_local_idx_push: BUG_ON(idx >= KM_MAX_IDX): {task.Name} reaches {ctrl.Idx} with KM_MAX_IDX = {Config.KmMaxIdx}");
        return ctrl.Idx - 1;
    }

    private void Pop(KmapCtrl ctrl, KernelTask task)
    {
        ctrl.Idx -= Config.KmIncr;
        if (ctrl.Idx < 0) throw new KernelBugException($"kernel BUG at kmap_local_idx_pop: BUG_ON(idx < 0) in {task.Name}");
    }

    // __kmap_local_sched_out for the outgoing task (non-preemptible; the kernel calls it only when idx != 0).
    private void SchedOut(KernelTask task)
    {
        var cpu = task.Cpu;
        var ctrl = _ctrl.Peek(task);
        if (ctrl is { Idx: > 0 })
        {
            cpu.Machine.Counters.Add("kmap_local.sched_out");   // preempted while holding mappings
            for (var k = 0; k < ctrl.Idx; k++)
            {
                if (SchedSkipsGuard(k))
                {
                    KernelWarning.WarnOn(GuardNotEmpty(ctrl.PteVal[k]), $"__kmap_local_sched_out: {task.Name}'s guard pteval[{k}] {GuardTest}");
                    continue;
                }
                if (KernelWarning.WarnOn(ctrl.PteVal[k] == 0,
                        $"__kmap_local_sched_out: {task.Name}'s pteval[{k}] is empty although idx is {ctrl.Idx} (slot {k} of CPU{cpu.Id})"))
                    // Stryker disable once Statement : WarnOn reports through Sim.Fail, which always throws, so this continue never runs
                    continue;
                _windows.Clear(cpu.Id, k, pte: KmapGetPte(cpu.Id, k));
                KmapWindows.LocalFlush(cpu, _windows.Address(cpu.Id, k));
            }
            CheckL3Out(task, ctrl);
            if (Config.Variant == SchedOutTouchesIdx)
            {
                ctrl.ParkedIdx = ctrl.Idx;   // H20: "save" idx aside and zero it
                ctrl.Idx = 0;
            }
        }
        _interrupts.NmiWindow(cpu);   // an NMI may hit between sched_out and the switch
    }

    // __kmap_local_sched_in for the incoming task, on the CPU it now owns.
    private void SchedIn(KernelTask task)
    {
        var cpu = task.Cpu;
        _interrupts.NmiWindow(cpu);   // ... or between the switch and sched_in
        var ctrl = _ctrl.Peek(task);
        if (ctrl is null) return;
        // Stryker disable once Logical : ParkedIdx is written only by H20's sched_out, and with H20 idx is 0 here whenever ParkedIdx is (sched_out parks every non-zero idx; interrupts nested meanwhile pop what they push), so "||" only re-stores 0
        if (Config.Variant == SchedOutTouchesIdx && ctrl.ParkedIdx > 0)
        {
            ctrl.Idx = ctrl.ParkedIdx;
            ctrl.ParkedIdx = 0;
        }
        if (ctrl.Idx == 0) return;
        cpu.Machine.Counters.Add("kmap_local.sched_in");   // its mappings restored
        CheckL2(task, ctrl, "sched_in");
        for (var k = 0; k < ctrl.Idx; k++)
        {
            if (SchedSkipsGuard(k))
            {
                KernelWarning.WarnOn(GuardNotEmpty(ctrl.PteVal[k]), $"__kmap_local_sched_in: {task.Name}'s guard pteval[{k}] {GuardTest}");
                continue;
            }
            if (KernelWarning.WarnOn(ctrl.PteVal[k] == 0,
                    $"__kmap_local_sched_in: {task.Name}'s pteval[{k}] is empty although idx is {ctrl.Idx} (slot {k} of CPU{cpu.Id})"))
                // Stryker disable once Statement : WarnOn reports through Sim.Fail, which always throws, so this continue never runs
                continue;
            _windows.SetPte(KmapGetPte(cpu.Id, k), ctrl.PteVal[k] - 1);
        }
        CheckL1(task);
    }

    // L1 (item 18), outside IRQ nesting: the task's CPU window holds exactly its recorded stack; with
    // DEBUG_KMAP_LOCAL (item 23) guard positions have pteval 0 and an empty PTE.
    private void CheckL1(KernelTask task)
    {
        var cpu = task.Cpu;
        if (cpu.Context != ContextKind.Process || cpu.CurrentTask != task) return;
        var ctrl = Ctrl(task);
        for (var k = 0; k < Config.KmMaxIdx; k++)
        {
            if (IsGuard(k) && ctrl.PteVal[k] != 0)
                Sim.Fail(BugKind.AssertionFailure, $"invariant 23 violated: {task.Name}'s guard position {k} records pfn {ctrl.PteVal[k] - 1}");
            var expected = k < ctrl.Idx && !IsGuard(k) ? ctrl.Recorded(k) : null;
            var actual = _windows.Pte(cpu.Id, k);
            if (actual != expected)
                Sim.Fail(BugKind.AssertionFailure,
                    $"invariant L1 violated: slot {k} of CPU{cpu.Id} maps {Pfn(actual)} but {task.Name} (idx {ctrl.Idx}) records {Pfn(expected)}");
        }
    }

    private bool IsGuard(int k) => Config.DebugKmapLocal && k % 2 == 0;

    // kmap_get_pte(vaddr, idx) since 825c43f50e3a: an architecture selecting KMAP_LOCAL_NON_LINEAR_PTE_ARRAY (ARM)
    // walks to the slot's own PTE (virt_to_kpte); the others, and ARM before the fix (the variant), index
    // &__kmap_pte[-idx].
    private uint KmapGetPte(int cpu, int k) =>
        _windows.Layout.Arch == KernelArch.Arm && Config.Variant != KmapPteLinearOnArm ? _windows.Address(cpu, k) : _windows.KmapPte(cpu, k);

    // The guard position's check in sched_out/sched_in: pte_val(pteval) != 0 since 66f133ceab74; the variant keeps
    // the !pte_none(pteval) it replaced, which is the same test only where a zero PTE is pte_none (not on xtensa).
    private bool GuardNotEmpty(int pteval) =>
        Config.Variant == PteNoneGuardCheck ? !(pteval == 0 && _windows.Layout.ZeroPteIsNone) : pteval != 0;

    private string GuardTest => Config.Variant == PteNoneGuardCheck
        ? $"is not pte_none (WARN_ON_ONCE(!pte_none(pteval)){(_windows.Layout.ZeroPteIsNone ? "" : $": on {_windows.Layout.Arch.ToString().ToLowerInvariant()} a zero PTE is not pte_none")})"
        : "is not 0";

    // sched_out's and sched_in's "with debug all even slots are unmapped and act as guard" test. The variant tests
    // CONFIG_DEBUG_HIGHMEM there, as the code did until "mm/highmem: Fix CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP" (2021).
    private bool SchedSkipsGuard(int k) => Config.Variant == GuardTestOnDebugHighmem ? Config.DebugHighmem && k % 2 == 0 : IsGuard(k);

    // L2 (item 19): a task holding local mappings stays on the CPU of its first one.
    private static void CheckL2(KernelTask task, KmapCtrl ctrl, string where)
    {
        if (ctrl.Idx > 0 && ctrl.FirstCpu >= 0 && ctrl.FirstCpu != task.Cpu.Id)
            Sim.Fail(BugKind.AssertionFailure,
                $"invariant L2 violated at {where}: {task.Name} holds {ctrl.Idx} kmap_local mapping(s) made on CPU{ctrl.FirstCpu} but runs on CPU{task.Cpu.Id}");
    }

    // L3 (item 20): after sched_out none of the task's slots are present in the CPU's window.
    private void CheckL3Out(KernelTask task, KmapCtrl ctrl)
    {
        for (var k = 0; k < ctrl.Idx; k++)
            if (_windows.Pte(task.Cpu.Id, k) is { } pfn)
                Sim.Fail(BugKind.AssertionFailure,
                    $"invariant L3 violated: after sched_out of {task.Name}, slot {k} of CPU{task.Cpu.Id} still maps pfn {pfn}");
    }

    private static string Pfn(int? pfn) => pfn is { } p ? $"pfn {p}" : "nothing";
}
