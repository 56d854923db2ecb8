using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Tests.Fakes;

/// <summary>
/// A scenario whose bug one schedule in <paramref name="odds"/> hits (a controlled choice of 0): cheap iterations and
/// bugs hundreds or thousands of iterations in, so a job's first bug can lie in any of its iteration blocks. Every
/// iteration covers "choice"; those that draw from the lower half of the range also cover "drew low".
/// </summary>
internal sealed class RareScenario(string name, int odds) : IScenario
{
    public string Name => name;

    public string Description => $"fails when a choice among {odds} draws 0";

    public IReadOnlyList<string> Events { get; } = ["choice", "drew low"];

    public ScenarioParameters Defaults { get; } = new() { Cpus = 1, OpsPerTask = 1, LastPkmap = 4, Pages = 1 };

    public void Validate(ScenarioParameters parameters)
    {
        if (parameters.Variant != "none") throw new ArgumentException($"unknown variant '{parameters.Variant}'", nameof(parameters));
    }

    public Action CreateTest(ScenarioParameters parameters) => () =>
    {
        var worker = Sim.Start("worker", () => Sim.SchedulingPoint("work"));
        var drawn = Sim.Choose(odds);
        Sim.Cover("choice");
        if (drawn < odds / 2) Sim.Cover("drew low");
        Sim.Assert(drawn != 0, $"drew the one in {odds}");
        worker.Join();
    };

    public StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation) =>
        throw new NotSupportedException("the rare scenario is for systematic runs only");
}
