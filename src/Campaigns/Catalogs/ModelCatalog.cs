using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>The model's own catalog (<see cref="HighMem.Scenarios.Catalog"/> and <see cref="VariantRegistry"/>): what <c>hmc</c> runs.</summary>
public sealed class ModelCatalog : ICatalog
{
    private ModelCatalog()
    {
    }

    /// <summary>The one instance.</summary>
    public static ModelCatalog Instance { get; } = new();

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios => Catalog.Scenarios;

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants => VariantRegistry.All;
}
