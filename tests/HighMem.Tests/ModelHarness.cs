using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>Builds small models and runs code on one of their kernel tasks, natively (for sequential tests).</summary>
internal static class ModelHarness
{
    public static HighMemModel Create(int lastPkmap = 4, int pages = 6, int cpus = 1, BugVariant? variant = null, bool arm = false) =>
        HighMemModel.Create(cpus, pages, new PkmapOptions
        {
            LastPkmap = lastPkmap,
            HashBuckets = 2,
            Variant = variant,
            ArchNeedsKmapHighGet = arm,
        });

    /// <summary>Runs <paramref name="body"/> on a kernel task of CPU 0 and waits; its exception, if any, is rethrown.</summary>
    public static void OnTask(HighMemModel model, Action body)
    {
        model.Machine.StartTask("test", 0, body);
        model.Machine.JoinAll();
    }
}
