namespace HighMemConcurrency.HighMem.Local;

/// <summary>
/// struct kmap_ctrl in task_struct: the task's stack of local mappings and the PTE value recorded for each, which
/// a context switch uses to clear (sched_out) and restore (sched_in) the task's slots. Interrupts nest on the
/// interrupted task's stack. Only the task (and interrupts on its CPU) touch it.
/// </summary>
public sealed class KmapCtrl
{
    /// <summary>Creates an empty stack of <paramref name="kmMaxIdx"/> entries.</summary>
    public KmapCtrl(int kmMaxIdx) => PteVal = new int[kmMaxIdx];

    /// <summary>idx: the number of live entries (the next free position).</summary>
    public int Idx { get; set; }

    /// <summary>pteval[k]: the frame recorded for position k, plus one; 0 means none.</summary>
    public int[] PteVal { get; }

    /// <summary>Where the H20 variant's sched_out parks idx until sched_in (the kernel has no such field).</summary>
    public int ParkedIdx { get; set; }

    /// <summary>Ghost: the CPU the task was on when its stack last went from empty to one entry (invariant L2).</summary>
    public int FirstCpu { get; set; } = -1;

    /// <summary>The frame at position <paramref name="k"/>, or null.</summary>
    public int? Recorded(int k) => PteVal[k] == 0 ? null : PteVal[k] - 1;
}
