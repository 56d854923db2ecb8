using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns.Tests.Stress;

/// <summary>
/// What a perturbed stress run runs: more tasks per CPU where the scenario runs fewer, takes them and the user gave
/// none, the scenario's own tasks otherwise; and which perturbations the run refuses (a pause or hold the watchdog
/// would mistake for a hang).
/// </summary>
public sealed class StressPerturbationTargetTests
{
    private static readonly Campaign Model = new(ModelCatalog.Instance);

    private static int TasksPerCpu(string scenario, StressPerturbation perturbation, int? tasksPerCpu = null) =>
        Model.ResolveStress(new StressRequest
        {
            Scenario = scenario, Perturbation = perturbation, Overrides = new ParameterOverrides(Cpus: 2, TasksPerCpu: tasksPerCpu),
        }).Parameters.TasksPerCpu;

    [Fact]
    public void The_preset_runs_two_tasks_per_CPU_where_the_scenario_runs_one()
    {
        Assert.Equal(2, TasksPerCpu("slot-hog", StressPerturbation.Standard));
        Assert.Equal(1, TasksPerCpu("slot-hog", StressPerturbation.None));
    }

    [Fact]
    public void Tasks_per_cpu_given_by_the_user_win()
    {
        Assert.Equal(1, TasksPerCpu("slot-hog", StressPerturbation.Standard, tasksPerCpu: 1));
        Assert.Equal(3, TasksPerCpu("slot-hog", StressPerturbation.Standard, tasksPerCpu: 3));
    }

    [Fact]
    public void A_scenario_with_fixed_task_roles_or_already_more_tasks_keeps_its_own()
    {
        Assert.Equal(1, TasksPerCpu("stack-nesting", StressPerturbation.Standard));           // fixed roles
        Assert.Equal(2, TasksPerCpu("typed-preempt", StressPerturbation.Standard with { TasksPerCpu = 1 }));   // never fewer
    }

    [Theory]
    [InlineData(600, 0, 1000, "a stutter pause of 600ms needs a watchdog of at least twice that (--watchdog)")]
    [InlineData(0, 600, 1000, "a hold of up to 600ms needs a watchdog of at least twice that (--watchdog)")]
    [InlineData(500, 500, 1000, null)]
    [InlineData(10, 2, null, null)]   // the default watchdog (5 s)
    public void A_pause_or_hold_longer_than_half_the_watchdog_is_refused(int pauseMs, int holdMs, int? watchdogMs, string? problem)
    {
        var perturbation = new StressPerturbation
        {
            StutterRun = pauseMs > 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero, StutterPause = TimeSpan.FromMilliseconds(pauseMs),
            HoldChance = holdMs > 0 ? 0.01 : 0, HoldMax = TimeSpan.FromMilliseconds(Math.Max(1, holdMs)),
        };
        var request = new StressRequest { Perturbation = perturbation, Watchdog = watchdogMs is { } w ? TimeSpan.FromMilliseconds(w) : null };

        Assert.Equal(problem, request.PerturbationProblem());
    }

    [Fact]
    public void Stress_refuses_a_perturbation_the_request_refuses()
    {
        var request = new StressRequest { Scenario = "slot-hog", Perturbation = new StressPerturbation { DelayChance = 2 } };

        var e = Assert.Throws<CampaignException>(() => Campaign.Stress(Model.ResolveStress(request), request));

        Assert.Equal("perturbation refused: the delay chance must be in [0, 1], found 2", e.Message);
    }
}
