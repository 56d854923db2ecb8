using HighMemConcurrency.Tests.Fakes;

namespace HighMemConcurrency.Campaigns.Tests;

public sealed class TestPlannerTests
{
    private static CampaignRequest Request(string? scenario = null, string? variant = null, string? strategy = null, int? cpus = null) =>
        new() { Scenario = scenario, Variant = variant, Strategy = strategy, Iterations = 100, Overrides = new ParameterOverrides(Cpus: cpus) };

    [Fact]
    public void No_options_test_every_scenario_on_the_correct_model_with_the_portfolio()
    {
        var plan = TestPlanner.Plan(TestCatalog.Standard(), Request());
        Assert.Equal(TestMode.Model, plan.Mode);
        Assert.Equal(["counter", "counter-b"], plan.Jobs.Select(j => j.Scenario.Name));
        Assert.All(plan.Jobs, j => Assert.Equal(("portfolio", "none"), (j.Strategy, j.Parameters.Variant)));
    }

    [Fact]
    public void The_model_run_of_every_scenario_leaves_out_those_that_overflow_on_purpose_but_runs_them_by_name()
    {
        var catalog = ModelCatalog.Instance;
        var all = TestPlanner.Plan(catalog, Request()).Jobs.Select(j => j.Scenario.Name).ToList();
        Assert.DoesNotContain("stack-overflow", all);
        Assert.Equal(catalog.Scenarios.Count(s => !s.NeedsVariant), all.Count);
        Assert.Equal("stack-overflow", Assert.Single(TestPlanner.Plan(catalog, Request("stack-overflow")).Jobs).Scenario.Name);
    }

    [Fact]
    public void A_variant_without_a_scenario_runs_on_the_scenarios_it_names_with_its_strategy()
    {
        var plan = TestPlanner.Plan(TestCatalog.Standard(), Request(variant: "split-add"));
        var job = Assert.Single(plan.Jobs);
        Assert.Equal((TestMode.Variant, "counter", "split-add", "random"), (plan.Mode, job.Scenario.Name, job.Parameters.Variant, job.Strategy));
    }

    [Fact]
    public void An_explicit_strategy_and_cpus_override_the_defaults()
    {
        var job = Assert.Single(TestPlanner.Plan(TestCatalog.Standard(), Request("counter-b", "split-add", "dfs", cpus: 3)).Jobs);
        Assert.Equal(("counter-b", "dfs", 3), (job.Scenario.Name, job.Strategy, job.Parameters.Cpus));
    }

    [Fact]
    public void The_self_check_plans_every_variant()
    {
        var plan = TestPlanner.Plan(TestCatalog.WithUnfindable(), Request(variant: "all"));
        Assert.Equal(TestMode.SelfCheck, plan.Mode);
        Assert.Equal(["split-add", "unlocked", "harmless"], plan.Jobs.Select(j => j.Variant!.Name));
    }

    [Theory]
    [InlineData("nope", null, "unknown scenario 'nope' (valid: counter, counter-b, all)")]
    [InlineData(null, "nope", "unknown variant 'nope' (valid: split-add, unlocked, none, all)")]
    public void Unknown_names_are_campaign_errors_listing_the_valid_ones(string? scenario, string? variant, string message) =>
        Assert.Equal(message, Assert.Throws<CampaignException>(() => TestPlanner.Plan(TestCatalog.Standard(), Request(scenario, variant))).Message);

    [Fact]
    public void Parameters_the_scenario_rejects_are_a_one_line_campaign_error()
    {
        var e = Assert.Throws<CampaignException>(() => TestPlanner.Plan(TestCatalog.Standard(), Request("counter", cpus: 9)));
        Assert.Equal("scenario 'counter' rejects these parameters: at most 8 CPUs", e.Message);
    }

    [Fact]
    public void An_empty_catalog_is_reported_not_silently_passed()
    {
        var empty = new TestCatalog([], []);
        Assert.Contains("no scenarios", Assert.Throws<CampaignException>(() => TestPlanner.Plan(empty, Request())).Message);
        Assert.Contains("no bug variants", Assert.Throws<CampaignException>(() => TestPlanner.Plan(empty, Request(variant: "all"))).Message);
    }

    [Fact]
    public void With_no_budget_options_the_run_is_bounded_by_the_default_time_limit() =>
        Assert.Equal((CampaignRequest.DefaultIterations, CampaignRequest.DefaultTimeLimit), CampaignRequest.Budget(null, null));

    [Fact]
    public void Explicit_iterations_run_in_full() => Assert.Equal((50, (TimeSpan?)null), CampaignRequest.Budget(50, null));

    [Fact]
    public void An_explicit_time_limit_applies_to_the_default_iterations() =>
        Assert.Equal((CampaignRequest.DefaultIterations, TimeSpan.FromSeconds(5)), CampaignRequest.Budget(null, TimeSpan.FromSeconds(5)));

    [Theory]
    [InlineData(null)]
    [InlineData("counter-b")]
    public void The_self_check_keeps_a_variant_no_scenario_accepts_as_not_run(string? scenario)
    {
        var catalog = new TestCatalog([new CounterScenario(), new CounterScenario("counter-b")], [TestCatalog.SplitAdd, TestCatalog.Foreign]);
        var plan = TestPlanner.Plan(catalog, Request(scenario, "all"));
        var foreign = Assert.Single(plan.Jobs, j => j.Variant!.Name == "foreign");
        Assert.Equal("unknown variant 'foreign'", foreign.Rejected);
    }
}
