using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>
/// <c>hmc stress</c>'s perturbation options: the preset and each override reach the summary with the seed of the
/// decisions, help documents every option, and bad values are one line and exit 2 (over the test catalog's counter:
/// short runs, only what the options become is asserted).
/// </summary>
public sealed class StressPerturbationOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<PerturbationSummary> Summary(params string[] options)
    {
        var result = await CliRun.Run(["stress", "--scenario", "counter", "--cpus", "2", "--duration", "100ms", "--out", _dir.Path, "--json", .. options]);
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        return JsonOutput.Deserialize<StressSummary>(result.Out)!.Perturbation;
    }

    [Fact]
    public async Task Without_options_nothing_is_perturbed_and_the_summary_says_so()
    {
        var p = await Summary("--seed", "9");

        Assert.Equal((false, "none", 0.0, 0.0, 0.0, (int?)null, "9"), (p.On, p.Description, p.DelayChance, p.HoldChance, p.StutterRunMs, p.TasksPerCpu, p.Seed));
    }

    [Fact]
    public async Task Perturb_is_the_standard_preset_seeded_by_seed()
    {
        var p = await Summary("--perturb", "--seed", "42");

        Assert.True(p.On);
        Assert.Equal((0.02, 1000, 0.002, 2.0, "inside,outside,schedule,wake-up", 100.0, 10.0, (int?)2, "42", 300.0, 100.0),
            (p.DelayChance, p.DelaySpins, p.HoldChance, p.HoldMaxMs, p.Points, p.StutterRunMs, p.StutterPauseMs, p.TasksPerCpu, p.Seed,
                p.PerturbedPhaseMs, p.FreePhaseMs));
        Assert.Equal("delay 2% (≤1000 spins), hold 0.2% (≤2ms) at inside,outside,schedule,wake-up; stutter 100ms/10ms; 2 tasks per CPU; " +
                     "phases 300ms perturbed/100ms free", p.Description);
    }

    [Fact]
    public async Task Each_option_overrides_its_part_of_the_preset()
    {
        var p = await Summary("--perturb", "--delay-chance", "0.5", "--delay-spins", "77", "--hold-chance", "0", "--hold-max", "5ms",
            "--perturb-at", "inside,wake-up", "--stutter", "off", "--oversubscribe", "3", "--phases", "1s/250ms");

        Assert.Equal((0.5, 77, 0.0, 5.0, "inside,wake-up", 0.0, 0.0, (int?)3, 1000.0, 250.0),
            (p.DelayChance, p.DelaySpins, p.HoldChance, p.HoldMaxMs, p.Points, p.StutterRunMs, p.StutterPauseMs, p.TasksPerCpu,
                p.PerturbedPhaseMs, p.FreePhaseMs));
    }

    [Fact]
    public async Task Phases_off_perturbs_throughout()
    {
        var p = await Summary("--perturb", "--phases", "off");

        Assert.Equal((0.0, 0.0), (p.PerturbedPhaseMs, p.FreePhaseMs));
        Assert.DoesNotContain("phases", p.Description);
    }

    [Fact]
    public async Task An_option_without_the_preset_turns_on_just_its_part()
    {
        var p = await Summary("--stutter", "50ms/5ms");

        Assert.Equal((true, 0.0, 0.0, 50.0, 5.0, (int?)null), (p.On, p.DelayChance, p.HoldChance, p.StutterRunMs, p.StutterPauseMs, p.TasksPerCpu));
        Assert.Equal("stutter 50ms/5ms", p.Description);
    }

    [Fact]
    public async Task The_text_report_names_the_perturbation_and_its_seed()
    {
        var result = await CliRun.Run("stress", "--scenario", "counter", "--cpus", "2", "--duration", "100ms", "--out", _dir.Path, "--perturb", "--seed", "7");

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("perturbation: delay 2% (≤1000 spins), hold 0.2% (≤2ms) at inside,outside,schedule,wake-up; stutter 100ms/10ms; 2 tasks per CPU; " +
                        "phases 300ms perturbed/100ms free, seed 7",
            result.Out.ReplaceLineEndings(" "));
    }

    [Theory]
    [InlineData("--delay-chance expects a chance from 0 to 1 such as 0.02, got '1.5'", "--delay-chance", "1.5")]
    [InlineData("--hold-chance expects a chance from 0 to 1 such as 0.02, got '-0.1'", "--hold-chance", "-0.1")]
    [InlineData("--delay-spins expects an integer from 1 to 100000, got '0'", "--delay-spins", "0")]
    [InlineData("--hold-max expects a positive duration", "--hold-max", "0")]
    [InlineData("--perturb-at expects a comma-separated list of inside, outside, schedule, wake-up or all, got 'inside,lock'", "--perturb-at", "inside,lock")]
    [InlineData("--stutter expects RUN/PAUSE such as 100ms/10ms (PAUSE at most 1s) or off, got '100ms'", "--stutter", "100ms")]
    [InlineData("--stutter expects RUN/PAUSE such as 100ms/10ms (PAUSE at most 1s) or off, got '1s/2s'", "--stutter", "1s/2s")]
    [InlineData("--oversubscribe expects an integer from 1 to 16, got '17'", "--oversubscribe", "17")]
    [InlineData("--phases expects PERTURBED/FREE such as 300ms/100ms (each more than 0 and at most 1m) or off, got '300ms'", "--phases", "300ms")]
    [InlineData("--phases expects PERTURBED/FREE such as 300ms/100ms (each more than 0 and at most 1m) or off, got '0/100ms'", "--phases", "0/100ms")]
    [InlineData("--phases expects PERTURBED/FREE such as 300ms/100ms (each more than 0 and at most 1m) or off, got '2m/1s'", "--phases", "2m/1s")]
    [InlineData("stress: the delay and hold chances add up to more than 1 (1.2)", "--delay-chance", "0.6", "--hold-chance", "0.6")]
    [InlineData("stress: the longest hold must be 1ms to 1s, found 2000ms", "--hold-max", "2s")]
    [InlineData("stress: a stutter pause of 600ms needs a watchdog of at least twice that (--watchdog)", "--stutter", "1s/600ms", "--watchdog", "1s")]
    [InlineData("stress: a hold of up to 600ms needs a watchdog of at least twice that (--watchdog)", "--perturb", "--hold-max", "600ms", "--watchdog", "1s")]
    public async Task Bad_values_are_one_line_and_exit_2(string expected, params string[] options)
    {
        var result = await CliRun.Run(["stress", "--scenario", "counter", "--duration", "100ms", "--out", _dir.Path, .. options]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains(expected, Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Fact]
    public async Task Help_documents_every_perturbation_option()
    {
        var result = await CliRun.RunWithColumns(400, "stress", "--help");

        foreach (var option in new[] { "--perturb ", "--delay-chance", "--delay-spins", "--hold-chance", "--hold-max", "--perturb-at", "--stutter", "--oversubscribe", "--phases" })
            Assert.Contains(option, result.Out);
        Assert.Contains("Decisions are drawn per task from --seed, so they repeat with it", result.Out.ReplaceLineEndings(" "));
    }
}
