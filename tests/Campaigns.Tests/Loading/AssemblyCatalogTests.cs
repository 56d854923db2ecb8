using System.Text.Json.Nodes;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Tests.Fakes;
using HighMemConcurrency.Tests.Fixtures;

namespace HighMemConcurrency.Campaigns.Tests.Loading;

/// <summary>
/// A user's scenarios from their own assembly (tests/Fixtures/UserScenarios, loaded from its dll as <c>hmc --load</c>
/// does): they join the model's catalog, run like its own, and their traces name the assembly, so a replay refuses
/// the trace without it or with another build of it. Every bad assembly is one line naming the file.
/// </summary>
public sealed class AssemblyCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hmc-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static AssemblyCatalog User() => AssemblyCatalog.Load(UserScenariosDll.Path);

    private static Campaign WithUser() => new(CombinedCatalog.Of(ModelCatalog.Instance, [User()]));

    private static string LoadError(string path) => Assert.Throws<CampaignException>(() => AssemblyCatalog.Load(path)).Message;

    [Fact]
    public void Loading_reads_the_assemblys_catalog_and_says_where_each_scenario_came_from()
    {
        var user = User();

        Assert.Equal(UserScenariosDll.Identity, user.Identity);
        var scenario = Assert.Single(user.Scenarios);
        Assert.Equal(("locked-counter", UserScenariosDll.Identity), (scenario.Name, scenario.Assembly));
        Assert.Equal(("unlocked-add", BugKind.AssertionFailure), (Assert.Single(user.Variants).Name, user.Variants[0].ExpectedKind));
    }

    [Fact]
    public void The_combined_catalog_keeps_the_model_first_and_adds_the_users()
    {
        var combined = CombinedCatalog.Of(ModelCatalog.Instance, [User()]);

        Assert.Equal([.. ModelCatalog.Instance.Scenarios.Select(s => s.Name), "locked-counter"], combined.Scenarios.Select(s => s.Name));
        Assert.Equal([.. ModelCatalog.Instance.Variants.Select(v => v.Name), "unlocked-add"], combined.Variants.Select(v => v.Name));
        Assert.All(combined.Scenarios.Take(ModelCatalog.Instance.Scenarios.Count), s => Assert.Null(s.Assembly));
    }

    [Fact]
    public void The_users_correct_scenario_runs_its_budget_clean()
    {
        var result = WithUser().Run(new CampaignRequest { Scenario = "locked-counter", Iterations = 400, Seed = 2 });

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        var job = Assert.Single(result.Jobs);
        Assert.Equal(400, job.Iterations);
        Assert.Equal(400, job.Coverage["counter.add"]);
    }

    [Fact]
    public void The_users_variant_is_found_and_its_trace_names_the_assembly_and_replays()
    {
        var campaign = WithUser();
        var result = campaign.Run(new CampaignRequest { Variant = "unlocked-add", Iterations = 2000, Seed = 1 });

        var job = Assert.Single(result.Bugs);
        Assert.True(job.FoundAsExpected, job.Bug!.Message);
        Assert.StartsWith("counter is ", job.Bug.Message);
        Assert.Equal(UserScenariosDll.Identity, JsonNode.Parse(job.Bug.TraceJson)!["assembly"]!.GetValue<string>());
        var replay = campaign.Resolve(job.Bug.TraceJson).Replay();
        Assert.Equal((job.Bug.Kind, job.Bug.Message), (replay.Bug!.Kind, replay.Bug.Message));
    }

    [Fact]
    public void The_self_check_of_the_users_catalog_alone_finds_its_variant_as_declared()
    {
        var result = new Campaign(User()).Run(new CampaignRequest { Variant = "all", Iterations = 2000, Seed = 1 });

        Assert.Equal((ExitCodes.Clean, "self-check passed"), (result.ExitCode, result.Outcome));
        Assert.Equal(["locked-counter + unlocked-add"], result.Jobs.Select(j => j.Job.Label));
    }

    [Fact]
    public void A_trace_of_a_loaded_scenario_is_refused_without_the_assembly_or_with_another_build_of_it()
    {
        var trace = WithUser().Run(new CampaignRequest { Variant = "unlocked-add", Iterations = 2000, Seed = 1 }).Bugs[0].Bug!.TraceJson;

        Assert.Equal("trace field 'assembly': scenario 'locked-counter' comes from UserScenarios 1.2.0.0, which is not loaded (load it with --load PATH.dll)",
            Assert.Throws<CampaignException>(() => Campaign.Model.Resolve(trace)).Message);
        var other = JsonNode.Parse(trace)!;
        other["assembly"] = "UserScenarios 1.3.0.0";
        Assert.Equal("trace field 'assembly': it was recorded from UserScenarios 1.3.0.0, but scenario 'locked-counter' here comes from " +
                     "UserScenarios 1.2.0.0: replay needs the build that wrote it",
            Assert.Throws<CampaignException>(() => WithUser().Resolve(other.ToJsonString())).Message);
        other.AsObject().Remove("assembly");
        Assert.Equal("trace field 'assembly': it was recorded from the tool's own scenarios, but scenario 'locked-counter' here comes from " +
                     "UserScenarios 1.2.0.0: replay needs the build that wrote it",
            Assert.Throws<CampaignException>(() => WithUser().Resolve(other.ToJsonString())).Message);
    }

    [Fact]
    public void Stress_runs_the_loaded_scenarios_body_natively_iteration_after_iteration()
    {
        var campaign = WithUser();
        var request = new StressRequest { Scenario = "locked-counter", Duration = TimeSpan.FromMilliseconds(300), Watchdog = TimeSpan.FromSeconds(30) };

        var report = Campaign.Stress(campaign.ResolveStress(request), request);

        Assert.True(report.Clean, string.Join("; ", report.Violations));
        Assert.True(report.Operations > 0);
        Assert.Equal(report.Operations, report.Counters["iterations"]);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        Assert.Equal("nope/absent.dll: no such file", LoadError("nope/absent.dll"));
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_refused()
    {
        var path = Path.Combine(_dir, "notes.dll");
        File.WriteAllText(path, "not a portable executable");

        Assert.Equal("notes.dll: not a .NET assembly", LoadError(path));
    }

    [Fact]
    public void An_assembly_without_a_catalog_is_refused()
    {
        var kernel = typeof(HighMemConcurrency.Kernel.Machine).Assembly.Location;

        Assert.Equal("HighMemConcurrency.Kernel.dll: no scenarios (it has no public ICatalog with a public parameterless constructor)", LoadError(kernel));
    }

    [Fact]
    public void A_name_the_catalog_already_has_or_an_assembly_given_twice_is_refused()
    {
        var builtIn = new TestCatalog([new TestBodyScenario("locked-counter", () => { })], []);

        Assert.Equal("UserScenarios.dll: scenario 'locked-counter' clashes with a built-in one",
            Assert.Throws<CampaignException>(() => CombinedCatalog.Of(builtIn, [User()])).Message);
        Assert.Equal("UserScenarios.dll: loaded twice",
            Assert.Throws<CampaignException>(() => CombinedCatalog.Of(ModelCatalog.Instance, [User(), User()])).Message);
    }

    [Fact]
    public void The_loaded_catalog_alone_has_only_the_assemblys_names_and_refuses_none_or_twice()
    {
        var alone = CombinedCatalog.OfLoaded([User()]);

        Assert.Equal(["locked-counter"], alone.Scenarios.Select(s => s.Name));
        Assert.Equal(["unlocked-add"], alone.Variants.Select(v => v.Name));
        Assert.Equal("no assembly is loaded to take the scenarios from",
            Assert.Throws<CampaignException>(() => CombinedCatalog.OfLoaded([])).Message);
        Assert.Equal("UserScenarios.dll: loaded twice", Assert.Throws<CampaignException>(() => CombinedCatalog.OfLoaded([User(), User()])).Message);
    }
}
