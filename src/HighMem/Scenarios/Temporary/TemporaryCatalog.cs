using HighMemConcurrency.HighMem.Atomic;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>The temporary-mapping and vmalloc scenarios, for the main <c>Catalog</c> to include.</summary>
public static class TemporaryCatalog
{
    /// <summary>All scenarios of this part of the model, typed → stack-based → kmap_local → vmalloc.</summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new TypedIrqScenario(AtomicClearMode.Lazy),
        new TypedIrqScenario(AtomicClearMode.Eager),
        new TypedPreemptScenario(migrate: false),
        new TypedPreemptScenario(migrate: true),
        new StackNestingScenario(overflow: false),
        new StackNestingScenario(overflow: true),
        new StackDepthScenario(),
        new LocalPreemptScenario(),
        new LocalHandoffScenario(),
        new VmallocChurnScenario(),
        new VmallocEdgesScenario(),
    ];
}
