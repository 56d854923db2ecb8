using System.Reflection;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>The one variant registry: every declared variant is listed once, complete, and looked up with one wording.</summary>
public sealed class VariantRegistryTests
{
    private static readonly Type[] Areas = [typeof(PkmapVariants), typeof(AtomicVariants), typeof(LocalVariants), typeof(VmallocVariants), typeof(OrderingVariants)];

    [Fact]
    public void EveryDeclaredVariantIsListedExactlyOnce()
    {
        var declared = Areas.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static))
            .Where(p => p.PropertyType == typeof(BugVariant)).Select(p => (BugVariant)p.GetValue(null)!).ToList();
        Assert.Equal(38, declared.Count);
        Assert.Equal(declared.Select(v => v.Name).Order(), VariantRegistry.All.Select(v => v.Name).Order());
    }

    [Fact]
    public void A_variant_that_names_a_kernel_fix_cites_it_whole_and_says_whether_the_citation_was_checked()
    {
        var withHistory = VariantRegistry.All.Where(v => v.History is not null).ToList();

        Assert.Equal(["drop-lock-around-flush", "irq-off-lock-ipi-flush", "unpinned-page-address", "nested-kmap", "no-kmap-flush-unused", "kmap-colour-blind", "pop-before-clear",
            "debug-kmap-atomic-lowmem", "kmap-atomic-ignores-pkmap", "guard-test-debug-highmem", "xtensa-fixmap-bottom-up", "pte-none-guard-check", "kmap-pte-linear-on-arm",
            "kmap-to-page-misses-local"], withHistory.Select(v => v.Name));
        Assert.All(withHistory, v =>
        {
            var h = v.History!;
            foreach (var (field, value) in new[] { ("reference", h.Reference), ("title", h.Title), ("introduced", h.Introduced), ("fixed", h.Fixed),
                         ("architecture", h.Architecture), ("account", h.Account) })
                Assert.False(string.IsNullOrWhiteSpace(value), $"{v.Name}'s history has no {field}");
            Assert.True(h.Verified is null || h.Verified.Length > 0, $"{v.Name}: a checked citation says where");
        });
        // Checked against copies of the commits, patch mails, backports or release shortlogs (see docs/history.md); the others are cited from the spec.
        Assert.Equal(["unpinned-page-address", "nested-kmap", "no-kmap-flush-unused", "kmap-colour-blind", "pop-before-clear", "debug-kmap-atomic-lowmem", "guard-test-debug-highmem", "xtensa-fixmap-bottom-up",
            "pte-none-guard-check", "kmap-pte-linear-on-arm", "kmap-to-page-misses-local"], withHistory.Where(v => v.History!.Verified is not null).Select(v => v.Name));
    }

    [Fact]
    public void EveryVariantSaysWhichLineItSwitchesAndWhereItApplies()
    {
        Assert.All(VariantRegistry.All, v =>
        {
            Assert.False(string.IsNullOrWhiteSpace(v.Switches), $"{v.Name} does not say which line it switches");
            Assert.NotEmpty(v.AppliesTo);
            Assert.All(v.Scenarios, s => Assert.Contains(s, v.AppliesTo));
            Assert.All(v.AppliesTo, s => Assert.NotNull(Catalog.FindScenario(s)));
        });
    }

    [Fact]
    public void EachScenarioTakesExactlyTheVariantsThatApplyToIt()
    {
        Assert.Equal(["double-kunmap", "nested-kmap"], VariantRegistry.For("distinct-pages").Where(n => n is "double-kunmap" or "nested-kmap"));
        Assert.DoesNotContain("kmap-from-irq", VariantRegistry.For("distinct-pages"));
        Assert.DoesNotContain("irq-off-lock-ipi-flush", VariantRegistry.For("irq-page-address"));
        Assert.Equal(["atomic-across-sleep", "atomic-no-preempt-disable", "unlock-page-no-barrier", "unlock-page-no-release", "lock-page-wait-no-barrier"],
            VariantRegistry.For("typed-preempt"));
        Assert.Equal(["atomic-no-preempt-disable", "unlock-page-no-barrier", "unlock-page-no-release", "lock-page-wait-no-barrier"], VariantRegistry.For("typed-migrate"));
        Assert.Equal(["depth-off-by-one"], VariantRegistry.For("stack-overflow"));
        // The xtensa build takes its two fixes; the guard check's variant also runs, unseen, on x86's debug build.
        Assert.Equal(["xtensa-fixmap-bottom-up", "pte-none-guard-check"], VariantRegistry.For("local-preempt-xtensa"));
        Assert.Equal(["guard-test-debug-highmem", "pte-none-guard-check"], VariantRegistry.For("local-preempt-debug"));
        Assert.Equal(["kmap-pte-linear-on-arm"], VariantRegistry.For("local-depth-arm"));
        Assert.Equal(["kmap-atomic-ignores-pkmap"], VariantRegistry.For("vivt-alias"));
        Assert.Equal(["no-kmap-flush-unused"], VariantRegistry.For("pat-alias"));
        Assert.Equal(["kmap-colour-blind"], VariantRegistry.For("colour-alias"));
        Assert.Equal(["local-address-shared", "kmap-to-page-misses-local", "kmap-to-page-skips-begin"], VariantRegistry.For("local-handoff"));
    }

    [Fact]
    public void SwitchNamesTheCorrectModelNullAndAnUnknownNameWithTheValidOnes()
    {
        Assert.Null(VariantRegistry.Switch("none"));
        Assert.Same(PkmapVariants.WakeOnZero, VariantRegistry.Switch("wake-on-zero"));
        var e = Assert.Throws<ArgumentException>(() => VariantRegistry.Switch("wake-on-one"));
        Assert.StartsWith("unknown variant 'wake-on-one' (valid: enqueue-after-unlock, wake-check-outside-lock, ", e.Message);
        Assert.EndsWith(", vfree-pages-before-flush, unlock-page-no-barrier, unlock-page-no-release, lock-page-wait-no-barrier, none)", e.Message);
        Assert.Equal("unknown variant 'x' (valid: (none defined))", VariantRegistry.Unknown("x", []));
    }
}
