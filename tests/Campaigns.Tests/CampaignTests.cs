using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Tests.Fakes;

namespace HighMemConcurrency.Campaigns.Tests;

/// <summary>
/// The campaign as a library, without the CLI: a request runs into a verdict with every bug's trace; workers and
/// shards never change what it finds; a plain test body is a campaign too; bad input is one <see cref="CampaignException"/>.
/// </summary>
public sealed class CampaignTests
{
    private static readonly Campaign Counter = new(TestCatalog.Standard());

    private static TestCatalog Rare() =>
        new([new RareScenario("rare-a", 1200), new RareScenario("rare-b", 3000), new RareScenario("rare-c", 9000), new CounterScenario()], []);

    // Portfolio slices of 1,500 iterations: two blocks each, so bugs land in later blocks and later slices.
    private static readonly CampaignRequest RareCampaign = new() { Iterations = 6000, Seed = 11 };

    /// <summary>What a job found, without times: equal for every layout of the same campaign.</summary>
    private static IEnumerable<object> Found(CampaignResult result) => result.Jobs.Select(object (j) =>
        (j.Job.Label, j.Iterations, j.Steps, j.Stop, j.Bug?.Kind, j.Bug?.Iteration, j.IterationsToBug, j.Bug?.TraceJson, j.FindingSlice,
            string.Join(", ", j.Coverage.Select(c => $"{c.Key}={c.Value}"))));

    [Fact]
    public void The_default_campaign_runs_every_scenario_clean_and_says_so()
    {
        var result = Counter.Run(new CampaignRequest { Iterations = 40, Seed = 5 });

        Assert.Equal((ExitCodes.Clean, "clean", false), (result.ExitCode, result.Outcome, result.Canceled));
        Assert.Equal(["counter", "counter-b"], result.Jobs.Select(j => j.Job.Scenario.Name));
        Assert.All(result.Jobs, j => Assert.Equal(("clean (budget)", 40, 4), (Verdict.Result(j), j.Iterations, j.Slices.Count)));
        Assert.Empty(result.Bugs);
        Assert.Null(result.SummaryPath);
        Assert.Equal(["counter", "counter-b"], result.Summary.Jobs.Select(j => j.Scenario));
    }

    [Fact]
    public void A_variant_is_found_with_a_trace_that_replays_to_the_same_bug()
    {
        var result = Counter.Run(new CampaignRequest { Variant = "split-add", Iterations = 500, Seed = 3 });

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        var job = Assert.Single(result.Bugs);
        Assert.True(job.FoundAsExpected);
        var replay = Counter.Resolve(job.Bug!.TraceJson).Replay();
        Assert.Equal((job.Bug.Kind, job.Bug.Message), (replay.Bug!.Kind, replay.Bug.Message));
    }

    [Fact]
    public void Workers_give_the_serial_result()
    {
        var campaign = new Campaign(Rare());
        var serial = campaign.Run(RareCampaign, new CampaignRunOptions { Workers = 1 });
        var parallel = campaign.Run(RareCampaign, new CampaignRunOptions { Workers = 3 });

        Assert.Equal(Found(serial), Found(parallel));
        Assert.Equal(ExitCodes.BugFound, parallel.ExitCode);
        // Worth comparing only if some job's first bug lies past its first block of iterations.
        Assert.Contains(serial.Jobs, j => j.IterationsToBug > SystematicTest.IterationBlock);
    }

    [Fact]
    public void Coyote_jobs_run_side_by_side_on_workers_and_give_the_serial_result()
    {
        var request = new CampaignRequest { Variant = "all", Scenario = "all", Engine = CampaignEngines.Coyote, Strategy = "random", Iterations = 300, Seed = 4 };
        var serial = Counter.Run(request, new CampaignRunOptions { Workers = 1 });
        var parallel = Counter.Run(request, new CampaignRunOptions { Workers = 2 });

        Assert.Equal(Found(serial), Found(parallel));
        Assert.Equal((ExitCodes.Clean, "self-check passed"), (parallel.ExitCode, parallel.Outcome));
        Assert.All(parallel.Bugs, j => Assert.Contains("\"engine\": \"coyote\"", j.Bug!.TraceJson));
    }

    [Fact]
    public void Shards_merge_into_the_unsharded_result()
    {
        var campaign = new Campaign(Rare());
        var whole = campaign.Run(RareCampaign);
        var directories = Enumerable.Range(1, 3).Select(_ => Directory.CreateTempSubdirectory("hmc-campaign-shard-").FullName).ToList();
        var merged = Directory.CreateTempSubdirectory("hmc-campaign-merge-").FullName;
        try
        {
            for (var k = 1; k <= 3; k++)
            {
                var shard = new Shard(k, 3);
                var part = campaign.Run(RareCampaign, new CampaignRunOptions { Shard = shard, Output = RunOutput.Open(directories[k - 1], DateTimeOffset.UnixEpoch) });
                Assert.Equal(ExitCodes.Clean, part.ExitCode);   // a shard that ran is clean: the merge gives the verdict
            }
            var result = campaign.Merge(directories, merged);

            Assert.Equal(3, result.MergedShards);
            Assert.Equal(whole.ExitCode, result.ExitCode);
            Assert.Equal(Found(whole), Found(result));
            Assert.All(result.Bugs, j => Assert.Equal(j.Bug!.TraceJson, File.ReadAllText(j.TracePath!)));
        }
        finally
        {
            foreach (var d in directories.Append(merged)) Directory.Delete(d, recursive: true);
        }
    }

    [Fact]
    public void A_plain_test_body_is_a_campaign_whose_bug_replays()
    {
        static void LostUpdate()
        {
            var counter = new SimAtomic(0, "counter");
            var worker = Sim.Start("worker", () => counter.Store(counter.Load() + 1));
            counter.Store(counter.Load() + 1);
            worker.Join();
            Sim.Assert(counter.Load() == 2, $"lost update: counter is {counter.Load()}");
        }
        var campaign = new Campaign(new TestCatalog([new TestBodyScenario("lost-update", LostUpdate)], []));

        var result = campaign.Run(new CampaignRequest { Iterations = 200, Seed = 1 });

        var job = Assert.Single(result.Bugs);
        Assert.Equal(BugKind.AssertionFailure, job.Bug!.Kind);
        Assert.Equal("lost update: counter is 1", job.Bug.Message);
        Assert.Equal(job.Bug.Message, campaign.Resolve(job.Bug.TraceJson).Replay().Bug!.Message);
    }

    [Fact]
    public void Coverage_counts_each_declared_event_over_every_slice_and_flags_the_unreached()
    {
        static void Body()
        {
            var flag = new SimAtomic(0, "flag");
            var worker = Sim.Start("worker", () => flag.Store(1));
            if (flag.Load() == 1) Sim.Cover("worker ran first");
            Sim.Cover("every time");
            worker.Join();
        }
        var scenario = new TestBodyScenario("body", "a race", new ScenarioParameters(), [], [], _ => Body,
            ["every time", "worker ran first", "never"]);
        var result = new Campaign(new TestCatalog([scenario], [])).Run(new CampaignRequest { Iterations = 400, Seed = 2 });

        var job = Assert.Single(result.Jobs);
        Assert.Equal(4, job.Slices.Count);   // the portfolio: each slice's count is added
        Assert.Equal(400, job.Coverage["every time"]);
        Assert.Equal(job.Slices.Sum(s => s.Coverage!.GetValueOrDefault("worker ran first")), job.Coverage["worker ran first"]);
        Assert.InRange(job.Coverage["worker ran first"], 1, 399);
        Assert.Equal(["never"], job.Unreached);
        Assert.Equal([("every time", 400, true), ("worker ran first", job.Coverage["worker ran first"], true), ("never", 0, true)],
            result.Summary.Jobs[0].Coverage!.Select(c => (c.Event, c.Schedules, c.Expected)));
    }

    [Fact]
    public void A_parameter_the_scenario_does_not_read_is_refused()
    {
        var campaign = new Campaign(new TestCatalog([new TestBodyScenario("body", () => { })], []));
        var e = Assert.Throws<CampaignException>(() => campaign.Plan(new CampaignRequest { Scenario = "body", Overrides = new(Pages: 3) }));
        Assert.Equal("scenario 'body' rejects these parameters: it does not use pages (it uses: variant)", e.Message);
    }

    [Theory]
    [InlineData("coyote", "dpor", "unknown coyote strategy 'dpor' (valid: random, pct, pct-fair, probabilistic, delay-bounding, qlearning, portfolio)")]
    [InlineData("hmc", "qlearning", "unknown hmc strategy 'qlearning' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor, portfolio)")]
    [InlineData("loom", null, "unknown engine 'loom' (valid: hmc, coyote)")]
    public void A_strategy_the_engine_lacks_or_an_unknown_engine_is_one_line(string engine, string? strategy, string message) =>
        Assert.Equal(message, Assert.Throws<CampaignException>(() => Counter.Plan(new CampaignRequest { Engine = engine, Strategy = strategy })).Message);

    [Fact]
    public void A_shard_runs_on_our_engine_only() =>
        Assert.Equal("--shard runs on the hmc engine only (Coyote cannot start part-way through a run)",
            Assert.Throws<CampaignException>(() => Counter.Plan(new CampaignRequest { Engine = "coyote" }, new Shard(1, 2))).Message);

    [Fact]
    public void The_tools_own_failure_keeps_the_jobs_before_it()
    {
        var broken = new CounterScenario("counter-b") { OnCreateTest = () => throw new InvalidOperationException("the model broke") };
        var campaign = new Campaign(new TestCatalog([new CounterScenario(), broken], []));

        var result = campaign.Run(new CampaignRequest { Iterations = 20, Seed = 1 });

        Assert.IsType<InvalidOperationException>(result.Failure);
        Assert.Equal((ExitCodes.InternalError, "error"), (result.ExitCode, result.Outcome));
        Assert.Equal("counter", Assert.Single(result.Jobs).Job.Scenario.Name);
        Assert.Equal("InvalidOperationException: the model broke", result.Summary.Error);
    }

    [Fact]
    public void A_canceled_run_is_never_clean()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var result = Counter.Run(new CampaignRequest { Iterations = 20, Seed = 1 }, cancellation: cancel.Token);

        Assert.True(result.Canceled);
        Assert.Equal((ExitCodes.Canceled, "canceled"), (result.ExitCode, result.Outcome));
    }
}
