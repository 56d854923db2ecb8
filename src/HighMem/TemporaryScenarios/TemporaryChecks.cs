using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>Checked uses of temporary mappings shared by the scenarios.</summary>
public static class TemporaryChecks
{
    /// <summary>
    /// Reads through <paramref name="va"/> expecting highmem frame <paramref name="pfn"/>'s initial content, then
    /// checks invariant 12 (spec §5: a CPU never accesses another CPU's kmap window). The content check comes first:
    /// it shows what the access actually hit.
    /// </summary>
    public static void Use(TemporaryWorld world, uint va, int pfn, string who)
    {
        ArgumentNullException.ThrowIfNull(world);
        var cpu = Machine.CurrentCpuOrThrow;
        world.Oracle.ReadExpect(cpu, va, pfn, world.Memory.Read(pfn), who);
        if (!world.Layout.IsKmapWindow(va)) return;
        var g = AddressLayout.VirtToFix(va) - world.Layout.FixKmapBegin;
        var owner = g / world.Layout.KmapWindow;
        if (owner != cpu.Id)
            Sim.Fail(BugKind.AssertionFailure,
                $"invariant 12 violated: {who} on CPU{cpu.Id} accesses 0x{va:x8}, slot {g % world.Layout.KmapWindow} of CPU{owner}'s kmap window");
    }
}
