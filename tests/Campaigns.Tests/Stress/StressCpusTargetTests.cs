using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns.Tests.Stress;

/// <summary>
/// How many CPUs a stress run runs: the request's default (the CLI's one per core) where the scenario runs on that
/// many, the scenario's own number where it does not (a one-CPU cache scenario, the eight-CPU ARM one), and always
/// the user's <c>--cpus</c>, which a scenario that cannot take it refuses.
/// </summary>
public sealed class StressCpusTargetTests
{
    private static readonly Campaign Model = new(ModelCatalog.Instance);

    private static int Cpus(string scenario, int? defaultCpus, int? cpus = null) =>
        Model.ResolveStress(new StressRequest { Scenario = scenario, DefaultCpus = defaultCpus, Overrides = new ParameterOverrides(Cpus: cpus) }).Parameters.Cpus;

    [Theory]
    [InlineData("distinct-pages", 4, 4)]      // 2 by default, takes 4
    [InlineData("slot-hog", 2, 2)]            // 3 by default, takes 2
    [InlineData("vivt-alias", 4, 1)]          // one CPU only
    [InlineData("colour-alias", 2, 1)]
    [InlineData("local-depth-arm", 2, 8)]     // exactly eight
    [InlineData("distinct-pages", null, 2)]   // no default: the scenario's own
    public void The_default_applies_where_the_scenario_runs_on_that_many(string scenario, int? defaultCpus, int expected) =>
        Assert.Equal(expected, Cpus(scenario, defaultCpus));

    [Fact]
    public void The_users_cpus_win_and_a_scenario_that_cannot_take_them_refuses()
    {
        Assert.Equal(3, Cpus("distinct-pages", defaultCpus: 4, cpus: 3));
        var e = Assert.Throws<CampaignException>(() => Cpus("vivt-alias", defaultCpus: 4, cpus: 2));
        Assert.Equal("scenario 'vivt-alias' rejects these parameters: scenario 'vivt-alias' models at most 1 CPU", e.Message);
    }
}
