using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>
/// The one kind of scenario of the model — permanent mappings, temporary mappings or vmalloc: a name, a
/// description, its defaults, the parameters it honours (an override of any other is refused), the variants it runs
/// (declared with their expected bug class in <see cref="VariantRegistry"/>), and a workload that runs once per iteration
/// under test. A family (<c>PkmapScenario</c>, <c>TemporaryScenario</c>) adds how it builds the model and runs natively.
/// </summary>
public abstract class Scenario : IScenario
{
    /// <summary>Declares the scenario.</summary>
    /// <param name="name">Kebab-case name.</param>
    /// <param name="description">One line: what the workload does and exercises.</param>
    /// <param name="defaults">Default parameters (small enough for systematic testing).</param>
    /// <param name="honours">The parameters the workload reads (all of <see cref="ScenarioParameters.Names"/> when null).</param>
    /// <param name="needsVariant">True when the workload breaks a kernel rule on purpose (see <see cref="IScenario.NeedsVariant"/>).</param>
    private protected Scenario(string name, string description, ScenarioParameters defaults,
        IReadOnlyCollection<string>? honours = null, bool needsVariant = false)
    {
        Name = name;
        Description = description;
        Defaults = defaults;
        Honours = honours ?? ScenarioParameters.Names;
        NeedsVariant = needsVariant;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public ScenarioParameters Defaults { get; }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Honours { get; }

    /// <inheritdoc />
    public bool NeedsVariant { get; }

    /// <summary>
    /// The kernel events (<c>KernelCounters</c> names, each also a <c>Sim.Cover</c> event under test) the workload is
    /// there to reach; set where the catalog lists the scenario. A campaign flags one that no schedule reached.
    /// </summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The bug variants this scenario can run (besides <c>none</c>): those the registry says apply to it.</summary>
    public IReadOnlyList<string> Variants => VariantRegistry.For(Name);

    /// <inheritdoc />
    public void Validate(ScenarioParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (VariantRegistry.Switch(parameters.Variant) is { } variant && !Variants.Contains(variant.Name))
            throw new ArgumentException($"variant '{variant.Name}' does not apply to scenario '{Name}' (it takes: {string.Join(", ", Variants)})");
        parameters.CheckFor(this);
        CheckShape(parameters);
    }

    /// <inheritdoc />
    public Action CreateTest(ScenarioParameters parameters)
    {
        Validate(parameters);
        return () => RunIteration(parameters);
    }

    /// <inheritdoc />
    public StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        Validate(parameters);
        return Stress(parameters, options, cancellation);
    }

    /// <summary>The family's own checks of validated parameters; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    private protected abstract void CheckShape(ScenarioParameters parameters);

    /// <summary>One iteration under test: a fresh model, the workload, the quiescent checks.</summary>
    private protected abstract void RunIteration(ScenarioParameters parameters);

    /// <summary>The native stress run of validated parameters.</summary>
    private protected abstract StressReport Stress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation);
}
