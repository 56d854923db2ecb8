using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>
/// Task 0 maps LAST_PKMAP pages at once (think: a copy across several highmem pages), holding every slot; the other
/// tasks map further pages, so they must sleep on pkmap_map_wait until the hog's kunmaps wake them. Only the hog
/// holds more than one kmap, so the pool cannot be exhausted (H9) in the correct model. With the defaults the two
/// waiters want the same page, so after a wake-up one of them finds it already mapped by the other.
/// </summary>
internal static class SlotHogWorkload
{
    internal static void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var pages = model.Memory.Pages;
        var slots = model.Pkmap.Layout.LastPkmap;
        if (task != 0)
        {
            var page = pages[Math.Min(slots, pages.Count - 1) + (task - 1 + op) % Math.Max(1, pages.Count - slots)];
            PkmapClient.MapUseUnmap(model, page, reads: 1, nested: () => pages[0]);
            return;
        }
        var pkmap = model.Pkmap;
        var me = KernelTask.Current!;
        var held = new List<(PhysicalPage Page, uint Va)>();
        for (var i = 0; i < Math.Min(slots, pages.Count); i++)
        {
            me.Activity = $"kmap {pages[i]} (holding {held.Count})";
            held.Add((pages[i], PkmapClient.TimedKmap(model, pages[i])));
        }
        foreach (var (page, va) in held) pkmap.ReadMapped(va, page);
        for (var i = held.Count - 1; i >= 0; i--)
        {
            me.Activity = $"kunmap {held[i].Page}";
            pkmap.Kunmap(held[i].Page);
        }
        me.Activity = null;
    }
}
