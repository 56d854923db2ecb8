using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// The names the end-to-end tests use, taken from the model's own catalog (what the built CLI offers). A missing
/// entry fails the test with the reason rather than passing vacuously.
/// </summary>
internal static class ModelCatalog
{
    public static IScenario Scenario(string name) =>
        Catalog.FindScenario(name) ?? throw new Xunit.Sdk.XunitException(
            $"the model catalog has no scenario '{name}' (it has: {string.Join(", ", Catalog.Scenarios.Select(s => s.Name))})");

    public static BugVariant Variant(string name) =>
        VariantRegistry.Find(name) ?? throw new Xunit.Sdk.XunitException(VariantRegistry.Unknown(name, VariantRegistry.All));
}
