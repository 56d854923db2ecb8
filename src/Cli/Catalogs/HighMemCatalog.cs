using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Catalogs;

/// <summary>The model's own <see cref="Catalog"/>: what the installed tool runs.</summary>
internal sealed class HighMemCatalog : ICatalog
{
    public IReadOnlyList<IScenario> Scenarios => Catalog.Scenarios;

    public IReadOnlyList<BugVariant> Variants => VariantRegistry.All;
}
