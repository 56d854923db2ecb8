using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Invariants;

/// <summary>
/// The temporary mappings' use-time invariants (spec §5): every checked dereference of a kmap_atomic or kmap_local
/// address goes through the content oracle, then invariant 12 (own CPU's window), and for kmap_local L5.
/// </summary>
public static class TemporaryInvariants
{
    /// <summary>
    /// Reads through <paramref name="va"/> expecting highmem frame <paramref name="pfn"/>'s initial content, then
    /// checks invariant 12 (spec §5: a CPU never accesses another CPU's kmap window). The content check comes first:
    /// it shows what the access actually hit.
    /// </summary>
    public static void Use(HighMemModel world, uint va, int pfn, string who)
    {
        ArgumentNullException.ThrowIfNull(world);
        var cpu = Machine.CurrentCpuOrThrow;
        world.Oracle.ReadExpect(cpu, va, pfn, world.Memory.Read(pfn), who);
        if (!world.Layout.IsKmapWindow(va)) return;
        var g = world.Layout.VirtToFix(va) - world.Layout.FixKmapBegin;
        var owner = g / world.Layout.KmapWindow;
        if (owner != cpu.Id)
            Sim.Fail(BugKind.AssertionFailure,
                $"invariant 12 violated: {who} on CPU{cpu.Id} accesses 0x{va:x8}, slot {g % world.Layout.KmapWindow} of CPU{owner}'s kmap window");
    }

    /// <summary>
    /// A checked dereference of a kmap_local address: the content oracle, invariant 12 (own CPU's window) and
    /// invariant L5 (spec §5 item 22: only the task whose stack holds the slot dereferences it).
    /// </summary>
    public static void LocalUse(HighMemModel world, KmapLocal kmap, uint va, int pfn, string who)
    {
        Use(world, va, pfn, who);
        var task = KernelTask.Current!;
        if (world.Layout.IsKmapWindow(va) && !kmap.HoldsSlot(task, va))
            Sim.Fail(BugKind.AssertionFailure,
                $"invariant L5 violated: {task.Name} ({who}) dereferences 0x{va:x8}, which is not an entry of its own kmap_local stack");
    }
    /// <summary>
    /// kmap_to_page() of a live kmap_local address of the calling task names the frame mapped there — its contract;
    /// another frame is a wrong page handed to whoever uses the result.
    /// </summary>
    public static void KmapToPageIs(KmapLocal kmap, uint va, int pfn, string who)
    {
        ArgumentNullException.ThrowIfNull(kmap);
        var page = kmap.KmapToPage(va);
        if (page != pfn)
            Sim.Fail(BugKind.AssertionFailure, $"wrong page: kmap_to_page(0x{va:x8}) by {who} gives pfn {page}, but pfn {pfn} is mapped there");
    }

    /// <summary>
    /// After the tasks of a scenario have finished: each of the <paramref name="sections"/> sections under the page
    /// lock <paramref name="page"/> added one to its state word, so the word is <paramref name="sections"/>. Less is a
    /// lost update: a holder read the state from before an earlier holder's section, which the lock exists to forbid.
    /// </summary>
    public static void PageLockUpdates(int state, int sections, string page)
    {
        if (state != sections)
            Sim.Fail(BugKind.AssertionFailure,
                $"lost update under lock_page: {sections} sections each added one to {page}'s state, but it holds {state} " +
                "(a holder read it from before an earlier holder's section)");
    }
}
