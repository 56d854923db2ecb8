using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// A scenario of a loaded assembly: the user's own, unchanged, except that it says which assembly (name and version)
/// it came from, so that its traces record it and a replay can insist on the same build, and where it was
/// loaded from, for the replay command printed with a bug.
/// </summary>
internal sealed class LoadedScenario(IScenario inner, string assembly, string path) : IScenario
{
    /// <summary>The full path it was loaded from, for the replay command a user can paste.</summary>
    public string Path => path;

    public string Name => inner.Name;

    public string Description => inner.Description;

    public bool NeedsVariant => inner.NeedsVariant;

    public IReadOnlyCollection<string> Honours => inner.Honours;

    public IReadOnlyList<string> Events => inner.Events;

    public string? Assembly => assembly;

    public ScenarioParameters Defaults => inner.Defaults;

    public void Validate(ScenarioParameters parameters) => inner.Validate(parameters);

    public Action CreateTest(ScenarioParameters parameters) => inner.CreateTest(parameters);

    public StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation) =>
        inner.RunStress(parameters, options, cancellation);
}
