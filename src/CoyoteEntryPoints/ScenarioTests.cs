using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace HighMemConcurrency.CoyoteEntryPoints;

/// <summary>
/// Every scenario of the model as a Coyote test method, for <c>coyote test HighMemConcurrency.CoyoteEntryPoints.dll
/// -m FewSlots</c> and <c>coyote replay … -m FewSlots</c>. The environment variable <see cref="VariantVariable"/>
/// switches a bug variant on (default <c>none</c>, the correct model); <see cref="Variant"/> runs that variant on the
/// first scenario its documentation names, as <c>hmc test --variant</c> does. Each iteration is one run of the
/// scenario's test body with our primitives bound to Coyote operations (<see cref="CoyoteToolIteration"/>).
/// </summary>
public static class ScenarioTests
{
    /// <summary>The environment variable naming the bug variant: <c>HMC_VARIANT=wake-on-zero</c>.</summary>
    public const string VariantVariable = "HMC_VARIANT";

    /// <summary>Checks <see cref="VariantVariable"/> once, before the first iteration, so that a typo stops the tool rather than reading as a bug.</summary>
    [TestInit]
    public static void CheckVariant()
    {
        var name = VariantName();
        if (name != VariantRegistry.None && VariantRegistry.Find(name) is null)
            throw new ArgumentException($"{VariantVariable}: {VariantRegistry.Unknown(name, VariantRegistry.All, VariantRegistry.None)}");
    }

    /// <summary>Unwinds and joins the iteration's threads: Coyote interrupts only threads it created itself.</summary>
    [TestIterationDispose]
    public static void EndIteration() => CoyoteToolIteration.End();

    /// <summary><see cref="VariantVariable"/> on the first scenario its documentation names.</summary>
    [Test]
    public static void Variant()
    {
        var name = VariantName();
        var variant = VariantRegistry.Find(name)
            ?? throw new ArgumentException($"-m Variant needs {VariantVariable} set to a variant: {VariantRegistry.Unknown(name, VariantRegistry.All)}");
        Run(variant.Scenarios[0]);
    }

    /// <summary>Scenario <c>distinct-pages</c>.</summary>
    [Test] public static void DistinctPages() => Run("distinct-pages");

    /// <summary>Scenario <c>shared-page</c>.</summary>
    [Test] public static void SharedPage() => Run("shared-page");

    /// <summary>Scenario <c>few-slots</c>.</summary>
    [Test] public static void FewSlots() => Run("few-slots");

    /// <summary>Scenario <c>slot-hog</c>.</summary>
    [Test] public static void SlotHog() => Run("slot-hog");

    /// <summary>Scenario <c>wrap-readers</c>.</summary>
    [Test] public static void WrapReaders() => Run("wrap-readers");

    /// <summary>Scenario <c>irq-page-address</c>.</summary>
    [Test] public static void IrqPageAddress() => Run("irq-page-address");

    /// <summary>Scenario <c>revive-wrap</c>.</summary>
    [Test] public static void ReviveWrap() => Run("revive-wrap");

    /// <summary>Scenario <c>pat-alias</c>.</summary>
    [Test] public static void PatAlias() => Run("pat-alias");

    /// <summary>Scenario <c>typed-irq-lazy</c>.</summary>
    [Test] public static void TypedIrqLazy() => Run("typed-irq-lazy");

    /// <summary>Scenario <c>typed-irq-lazy-debug</c>.</summary>
    [Test] public static void TypedIrqLazyDebug() => Run("typed-irq-lazy-debug");

    /// <summary>Scenario <c>typed-irq-debug</c>.</summary>
    [Test] public static void TypedIrqDebug() => Run("typed-irq-debug");

    /// <summary>Scenario <c>typed-preempt</c>.</summary>
    [Test] public static void TypedPreempt() => Run("typed-preempt");

    /// <summary>Scenario <c>typed-migrate</c>.</summary>
    [Test] public static void TypedMigrate() => Run("typed-migrate");

    /// <summary>Scenario <c>stack-nesting</c>.</summary>
    [Test] public static void StackNesting() => Run("stack-nesting");

    /// <summary>Scenario <c>stack-overflow</c> (its correct model overflows on purpose: run it with a variant).</summary>
    [Test] public static void StackOverflow() => Run("stack-overflow");

    /// <summary>Scenario <c>stack-depth</c>.</summary>
    [Test] public static void StackDepth() => Run("stack-depth");

    /// <summary>Scenario <c>local-preempt</c>.</summary>
    [Test] public static void LocalPreempt() => Run("local-preempt");

    /// <summary>Scenario <c>local-preempt-debug</c>.</summary>
    [Test] public static void LocalPreemptDebug() => Run("local-preempt-debug");

    /// <summary>Scenario <c>local-preempt-xtensa</c>.</summary>
    [Test] public static void LocalPreemptXtensa() => Run("local-preempt-xtensa");

    /// <summary>Scenario <c>local-depth-arm</c>.</summary>
    [Test] public static void LocalDepthArm() => Run("local-depth-arm");

    /// <summary>Scenario <c>vivt-alias</c>.</summary>
    [Test] public static void VivtAlias() => Run("vivt-alias");

    /// <summary>Scenario <c>colour-alias</c>.</summary>
    [Test] public static void ColourAlias() => Run("colour-alias");

    /// <summary>Scenario <c>local-handoff</c>.</summary>
    [Test] public static void LocalHandoff() => Run("local-handoff");

    /// <summary>Scenario <c>vmalloc-churn</c>.</summary>
    [Test] public static void VmallocChurn() => Run("vmalloc-churn");

    /// <summary>Scenario <c>vmalloc-edges</c>.</summary>
    [Test] public static void VmallocEdges() => Run("vmalloc-edges");

    /// <summary>The scenario and variant a method runs, with the scenario's own defaults and step bound.</summary>
    internal static (Action Test, TestOptions Options) Prepare(string scenarioName, string variant)
    {
        var scenario = Catalog.FindScenario(scenarioName) ?? throw new InvalidOperationException($"the model has no scenario '{scenarioName}'");
        var parameters = scenario.Defaults with { Variant = variant };
        scenario.Validate(parameters);
        return (scenario.CreateTest(parameters), ScenarioTestOptions.For(scenario, parameters));
    }

    private static void Run(string scenarioName)
    {
        var (test, options) = Prepare(scenarioName, VariantName());
        CoyoteToolIteration.Run(test, options);
    }

    private static string VariantName() =>
        Environment.GetEnvironmentVariable(VariantVariable) is { Length: > 0 } v ? v.Trim() : VariantRegistry.None;
}
