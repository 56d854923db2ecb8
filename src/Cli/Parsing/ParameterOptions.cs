using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Parsing;

/// <summary>
/// The options that override a scenario's parameters (every field of <see cref="ScenarioParameters"/> but the
/// variant), with their documented bounds; a scenario that does not read one refuses it (exit 2).
/// </summary>
internal sealed class ParameterOptions
{
    /// <summary>The five options; <paramref name="cpusDescription"/> says what <c>--cpus</c> defaults to on this verb.</summary>
    public ParameterOptions(string cpusDescription)
    {
        Cpus = OptionFactory.Integer("--cpus", $"{cpusDescription} At most {ScenarioParameters.MaxCpus}.", maximum: ScenarioParameters.MaxCpus);
        TasksPerCpu = OptionFactory.Integer("--tasks-per-cpu",
            $"Kernel tasks per simulated CPU, at most {ScenarioParameters.MaxTasksPerCpu} (default: the scenario's); tasks sharing a CPU " +
            "switch only at preemption points and sleeps.", maximum: ScenarioParameters.MaxTasksPerCpu);
        LastPkmap = OptionFactory.Integer("--last-pkmap",
            $"LAST_PKMAP, the number of pkmap slots, a power of two up to {ScenarioParameters.MaxLastPkmap} (default: the scenario's; " +
            "scenarios without pkmap slots refuse it).", maximum: ScenarioParameters.MaxLastPkmap);
        Pages = OptionFactory.Integer("--pages",
            $"Highmem pages the workload maps, at most {ScenarioParameters.MaxPages} (default: the scenario's; the fixmap, local and " +
            "vmalloc scenarios refuse it).", maximum: ScenarioParameters.MaxPages);
        OpsPerTask = OptionFactory.Integer("--ops-per-task",
            $"Operations (kmap, use, kunmap...) per task, at most {ScenarioParameters.MaxOpsPerTask} (default: the scenario's).",
            maximum: ScenarioParameters.MaxOpsPerTask);
    }

    /// <summary><c>--cpus</c>.</summary>
    public Option<int?> Cpus { get; }

    /// <summary><c>--tasks-per-cpu</c>.</summary>
    public Option<int?> TasksPerCpu { get; }

    /// <summary><c>--last-pkmap</c>.</summary>
    public Option<int?> LastPkmap { get; }

    /// <summary><c>--pages</c>.</summary>
    public Option<int?> Pages { get; }

    /// <summary><c>--ops-per-task</c>.</summary>
    public Option<int?> OpsPerTask { get; }

    /// <summary>Adds the five options to <paramref name="command"/>, in the order help lists them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cpus, TasksPerCpu, LastPkmap, Pages, OpsPerTask }) command.Options.Add(option);
    }

    /// <summary>The overrides given.</summary>
    public ParameterOverrides Read(ParseResult parse) =>
        new(parse.GetValue(Cpus), parse.GetValue(TasksPerCpu), parse.GetValue(LastPkmap), parse.GetValue(Pages), parse.GetValue(OpsPerTask));
}
