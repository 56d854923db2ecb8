using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>The catalog the CLI and stress jobs rely on is consistent.</summary>
public sealed class CatalogTests
{
    [Fact]
    public void EveryVariantNamesExistingScenariosThatAcceptIt()
    {
        foreach (var v in VariantRegistry.All)
        {
            Assert.NotEmpty(v.Scenarios);
            foreach (var name in v.Scenarios)
            {
                var s = Catalog.FindScenario(name);
                Assert.True(s is not null, $"{v.Name} names unknown scenario {name}");
                s!.Validate(s.Defaults with { Variant = v.Name });
            }
        }
    }

    [Fact]
    public void NamesAreUnique() 
    {
        Assert.Equal(Catalog.Scenarios.Count, Catalog.Scenarios.Select(s => s.Name).Distinct().Count());
        Assert.Equal(VariantRegistry.All.Count, VariantRegistry.All.Select(v => v.Name).Distinct().Count());
    }

    [Fact]
    public void Validate_RejectsUnknownAndInapplicableVariants()
    {
        var s = Catalog.FindScenario("distinct-pages")!;
        Assert.Throws<ArgumentException>(() => s.Validate(s.Defaults with { Variant = "no-such-bug" }));
        Assert.Throws<ArgumentException>(() => s.Validate(s.Defaults with { Variant = "kmap-from-irq" }));
        Assert.Throws<ArgumentException>(() => s.Validate(s.Defaults with { LastPkmap = 3 }));
        var irq = Catalog.FindScenario("irq-page-address")!;
        Assert.Throws<ArgumentException>(() => irq.Validate(irq.Defaults with { Variant = "irq-off-lock-ipi-flush" }));
    }

    [Fact]
    public void ParametersRoundTripThroughTraces()
    {
        foreach (var s in Catalog.Scenarios)
            Assert.Equal(s.Defaults, ScenarioParameters.FromDictionary(s.Defaults.ToDictionary()));
    }
}
