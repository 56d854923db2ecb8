namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>
/// Every scenario the model offers, by name: permanent mappings, then temporary ones. Their bug variants are
/// declared once in <see cref="Variants.VariantRegistry"/>.
/// </summary>
public static class Catalog
{
    /// <summary>All scenarios, in the order <c>hmc list</c> prints them.</summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
        [.. Permanent.PkmapCatalog.Scenarios, .. Temporary.TemporaryCatalog.Scenarios];

    /// <summary>The scenario with this name, or null.</summary>
    public static IScenario? FindScenario(string name) => Scenarios.FirstOrDefault(s => s.Name == name);
}
