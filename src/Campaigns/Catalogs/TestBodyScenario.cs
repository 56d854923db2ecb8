using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// A scenario made of a plain test body (or of a body built from the parameters), so that a campaign — its
/// portfolio, parallel workers, shards and verdict — runs code that is not in the model's catalog. Natively
/// (<c>hmc stress</c>) it runs its body over and over on real threads.
/// </summary>
public sealed class TestBodyScenario : IScenario
{
    private readonly Func<ScenarioParameters, Action> _createTest;
    private readonly IReadOnlyCollection<string> _variants;

    /// <summary>A scenario whose every iteration runs <paramref name="body"/>; it takes no parameters and no variants.</summary>
    /// <param name="name">Its name in tables, summaries and traces.</param>
    /// <param name="body">The test body, run on a controlled main thread once per iteration.</param>
    public TestBodyScenario(string name, Action body)
        : this(name, "a test body", new ScenarioParameters(), [ScenarioParameters.VariantName], [], _ => body)
    {
        ArgumentNullException.ThrowIfNull(body);
    }

    /// <summary>A scenario whose body is built from its parameters.</summary>
    /// <param name="name">Its name in tables, summaries and traces.</param>
    /// <param name="description">One line: what the body does.</param>
    /// <param name="defaults">Its default parameters.</param>
    /// <param name="honours">The parameters the body reads (<see cref="ScenarioParameters.Names"/>); an override of any other is refused.</param>
    /// <param name="variants">The variant names the body understands, besides <c>none</c>.</param>
    /// <param name="createTest">Builds the body for validated parameters.</param>
    /// <param name="events">The model events (<c>Sim.Cover</c>) the body is there to reach (<see cref="IScenario.Events"/>).</param>
    public TestBodyScenario(string name, string description, ScenarioParameters defaults, IReadOnlyCollection<string> honours,
        IReadOnlyCollection<string> variants, Func<ScenarioParameters, Action> createTest, IReadOnlyList<string>? events = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(honours);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(createTest);
        Name = name;
        Description = description;
        Defaults = defaults;
        Honours = honours.Contains(ScenarioParameters.VariantName) ? honours : [.. honours, ScenarioParameters.VariantName];
        _variants = variants;
        _createTest = createTest;
        Events = events ?? [];
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
    public IReadOnlyList<string> Events { get; }

    /// <inheritdoc />
    public void Validate(ScenarioParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Variant != Defaults.Variant && !_variants.Contains(parameters.Variant))
            throw new ArgumentException($"variant '{parameters.Variant}' does not apply to scenario '{Name}' " +
                                        $"(it takes: {(_variants.Count == 0 ? "none" : string.Join(", ", _variants))})");
        parameters.CheckFor(this);
    }

    /// <inheritdoc />
    public Action CreateTest(ScenarioParameters parameters)
    {
        Validate(parameters);
        return _createTest(parameters);
    }

    /// <summary>
    /// Runs the body natively, iteration after iteration, for the duration (<c>hmc stress</c>): an iteration that throws
    /// is a violation, one that does not return within the watchdog timeout a hang. The operations are iterations.
    /// </summary>
    public StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BodyStress.Run(Name, parameters, CreateTest(parameters), options, cancellation);
    }
}
