using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>A kmap client as the workloads use it: kmap → read → kunmap, with the client-side bug variants.</summary>
internal static class PkmapClient
{
    /// <summary>
    /// kmap the page, read it <paramref name="reads"/> times through the returned address, kunmap it — with the
    /// client-side variants: nested-kmap (H9) takes a second kmap while holding the first, double-kunmap (H15)
    /// unmaps twice.
    /// </summary>
    internal static void MapUseUnmap(HighMemModel model, PhysicalPage page, int reads, Func<PhysicalPage>? nested = null)
    {
        var pkmap = model.Pkmap;
        var task = KernelTask.Current!;
        task.Activity = $"kmap {page}";
        var va = TimedKmap(model, page);
        for (var r = 0; r < reads; r++) pkmap.ReadMapped(va, page, r % PhysicalPage.Words);
        if (pkmap.Variant == NestedKmap && nested is not null)
        {
            var second = nested();
            task.Activity = $"holds {page}, kmap {second}";
            var va2 = TimedKmap(model, second);
            pkmap.ReadMapped(va2, second);
            pkmap.Kunmap(second);
        }
        task.Activity = $"kunmap {page}";
        pkmap.Kunmap(page);
        if (pkmap.Variant == DoubleKunmap) pkmap.Kunmap(page);
        task.Activity = null;
    }

    /// <summary>kmap, timed when the run observes kmap latency (native stress only).</summary>
    internal static uint TimedKmap(HighMemModel model, PhysicalPage page)
    {
        if (model.KmapLatencyObserver is not { } observe) return model.Pkmap.Kmap(page);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var va = model.Pkmap.Kmap(page);
        observe(KernelTask.Current!, (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds);
        return va;
    }
}
