namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>
/// A named, parameterised workload on the model, shared by the tests, the CLI and the stress jobs.
/// </summary>
public interface IScenario
{
    /// <summary>Short kebab-case name, e.g. <c>distinct-pages</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what the workload does and what it exercises.</summary>
    string Description { get; }

    /// <summary>
    /// True for a scenario whose workload breaks a kernel rule on purpose, so that a variant's effect can be seen
    /// (e.g. nesting one level deeper than the atomic-kmap window for H2). On the correct model the kernel's own
    /// check — a BUG — is then the expected outcome, so runs of "every scenario on the correct model" leave it out.
    /// </summary>
    bool NeedsVariant => false;

    /// <summary>
    /// The parameters (<see cref="ScenarioParameters.Names"/>) the workload reads. Any other must stay at its default:
    /// <see cref="Validate"/> refuses an override it would silently ignore.
    /// </summary>
    IReadOnlyCollection<string> Honours => ScenarioParameters.Names;

    /// <summary>
    /// The model events (<c>Sim.Cover</c>) the workload is there to reach, e.g. <c>kmap slept on pkmap_map_wait</c>:
    /// a campaign reports how many schedules reached each, and flags one that none reached, so a user sees what the
    /// campaign never exercised.
    /// </summary>
    IReadOnlyList<string> Events => [];

    /// <summary>
    /// The assembly outside the tool that declares the scenario ("name version", e.g. <c>LockFreeKmap 1.0.0.0</c>,
    /// for one loaded with <c>hmc --load</c>), recorded in its traces so that a replay refuses another build of it;
    /// null for the model's own scenarios.
    /// </summary>
    string? Assembly => null;

    /// <summary>The scenario's default parameters (small enough for systematic testing).</summary>
    ScenarioParameters Defaults { get; }

    /// <summary>
    /// Checks parameters before a run; throws <see cref="ArgumentException"/> with a one-line reason (e.g. an
    /// unknown variant, or one that does not apply to this scenario).
    /// </summary>
    void Validate(ScenarioParameters parameters);

    /// <summary>The body of a systematic test (run by <c>SystematicTest.Run</c>) for these parameters.</summary>
    Action CreateTest(ScenarioParameters parameters);

    /// <summary>Runs the workload natively on real threads until <paramref name="options"/>' duration or cancellation.</summary>
    StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation);
}
