using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Parsing;

/// <summary>
/// <c>hmc stress</c>'s perturbation options: <c>--perturb</c> (the <see cref="StressPerturbation.Standard"/> preset)
/// and one option per field of <see cref="StressPerturbation"/>, each overriding the preset (or, without it,
/// turning on just that part). Bad values are one line and exit 2.
/// </summary>
internal sealed class PerturbationOptions
{
    private static readonly StressPerturbation Preset = StressPerturbation.Standard;

    /// <summary>The options.</summary>
    public PerturbationOptions()
    {
        Perturb = new Option<bool>("--perturb")
        {
            Description = $"Perturb the run to reach rare interleavings, as the kernel's locktorture does: {Preset}. Each option below " +
                          "overrides one part of it (or, without --perturb, turns on just that part). Decisions are drawn per task from " +
                          "--seed, so they repeat with it. Default: off (full speed).",
        };
        DelayChance = Chance("--delay-chance",
            $"Chance (0 to 1) that a task is delayed briefly (a busy spin) at each perturbation point (--perturb: {Preset.DelayChance}).");
        DelaySpins = OptionFactory.Integer("--delay-spins",
            $"Longest short delay, in spin iterations (default {Preset.DelaySpins}, at most {StressPerturbation.MaxDelaySpins}).",
            maximum: StressPerturbation.MaxDelaySpins);
        HoldChance = Chance("--hold-chance",
            $"Chance (0 to 1) that a task is held (sleeps 1 ms to --hold-max) at a perturbation point, inside a lock too (--perturb: {Preset.HoldChance}).");
        HoldMax = OptionFactory.Duration("--hold-max",
            $"Longest hold, whole milliseconds from 1ms to 1s (default {DurationParser.Format(Preset.HoldMax)}); at most half of --watchdog.");
        Points = new Option<PerturbationPoints?>("--perturb-at")
        {
            Description = "Where delays and holds happen, comma-separated: inside (a lock, after taking it and before releasing it), " +
                          "outside (before taking and after releasing it), schedule (before and after schedule()), wake-up (before and after " +
                          "wake_up()), or all (default).",
            HelpName = "POINTS",
            CustomParser = ParsePoints,
        };
        Oversubscribe = OptionFactory.Integer("--oversubscribe",
            $"More tasks than CPUs: N tasks per simulated CPU (at most {ScenarioParameters.MaxTasksPerCpu}), so tasks are preempted at their " +
            "CPU's switch points (and migrate where the scenario allows it); applied when the scenario runs fewer, --tasks-per-cpu " +
            $"is not given and the scenario takes it (--perturb: {Preset.TasksPerCpu}).", maximum: ScenarioParameters.MaxTasksPerCpu);
        Stutter = new Option<(TimeSpan Run, TimeSpan Pause)?>("--stutter")
        {
            Description = "Bursts and pauses of load, RUN/PAUSE (e.g. 100ms/10ms) or off: after each RUN of work every task stops after " +
                          "its current operation until PAUSE is over and all have stopped, then all resume at once; a task that cannot " +
                          "stop (a lost wakeup) is reported by the watchdog. The pkmap scenarios and typed-preempt/typed-migrate pause; " +
                          $"others ignore it. PAUSE at most half of --watchdog (--perturb: {DurationParser.Format(Preset.StutterRun)}/" +
                          $"{DurationParser.Format(Preset.StutterPause)}).",
            HelpName = "RUN/PAUSE",
            CustomParser = ParseStutter,
        };
        Phases = new Option<(TimeSpan Perturbed, TimeSpan Free)?>("--phases")
        {
            Description = "Alternate phases with and without delays and holds, PERTURBED/FREE (e.g. 300ms/100ms) or off (delays and holds " +
                          "throughout): in a free phase nothing is delayed or held (the stutter goes on), so races that need the model at full " +
                          "speed (two CPUs in a short unlocked window) meet nearly as often as without perturbation. Each at most " +
                          $"1m (--perturb: {DurationParser.Format(Preset.PerturbedPhase)}/{DurationParser.Format(Preset.FreePhase)}).",
            HelpName = "PERTURBED/FREE",
            CustomParser = ParsePhases,
        };
    }

    /// <summary><c>--perturb</c>.</summary>
    public Option<bool> Perturb { get; }

    /// <summary><c>--delay-chance</c>.</summary>
    public Option<double?> DelayChance { get; }

    /// <summary><c>--delay-spins</c>.</summary>
    public Option<int?> DelaySpins { get; }

    /// <summary><c>--hold-chance</c>.</summary>
    public Option<double?> HoldChance { get; }

    /// <summary><c>--hold-max</c>.</summary>
    public Option<TimeSpan?> HoldMax { get; }

    /// <summary><c>--perturb-at</c>.</summary>
    public Option<PerturbationPoints?> Points { get; }

    /// <summary><c>--oversubscribe</c>.</summary>
    public Option<int?> Oversubscribe { get; }

    /// <summary><c>--stutter</c>.</summary>
    public Option<(TimeSpan Run, TimeSpan Pause)?> Stutter { get; }

    /// <summary><c>--phases</c>.</summary>
    public Option<(TimeSpan Perturbed, TimeSpan Free)?> Phases { get; }

    /// <summary>Adds the options to <paramref name="command"/>, in the order help lists them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Perturb, DelayChance, DelaySpins, HoldChance, HoldMax, Points, Stutter, Oversubscribe, Phases })
            command.Options.Add(option);
    }

    /// <summary>The perturbation given; a combination the record refuses is a <see cref="UsageException"/>.</summary>
    public StressPerturbation Read(ParseResult parse)
    {
        var p = parse.GetValue(Perturb) ? Preset : StressPerturbation.None;
        if (parse.GetValue(DelayChance) is { } delay) p = p with { DelayChance = delay };
        if (parse.GetValue(DelaySpins) is { } spins) p = p with { DelaySpins = spins };
        if (parse.GetValue(HoldChance) is { } hold) p = p with { HoldChance = hold };
        if (parse.GetValue(HoldMax) is { } holdMax) p = p with { HoldMax = holdMax };
        if (parse.GetValue(Points) is { } points) p = p with { Points = points };
        if (parse.GetValue(Stutter) is { } stutter) p = p with { StutterRun = stutter.Run, StutterPause = stutter.Pause };
        if (parse.GetValue(Oversubscribe) is { } tasks) p = p with { TasksPerCpu = tasks };
        if (parse.GetValue(Phases) is { } phases) p = p with { PerturbedPhase = phases.Perturbed, FreePhase = phases.Free };
        if (p.Problem() is { } problem) throw new UsageException($"stress: {problem}");
        return p;
    }

    private static Option<double?> Chance(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "P",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1) return p;
                result.AddError($"{name} expects a chance from 0 to 1 such as 0.02, got '{text}'");
                return null;
            },
        };

    private static PerturbationPoints? ParsePoints(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var points = PerturbationPoints.None;
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (name == "all")
            {
                points |= PerturbationPoints.All;
                continue;
            }
            var match = StressPerturbation.PointNameTable.FirstOrDefault(p => p.Name == name);
            if (match.Name is null)
            {
                result.AddError($"--perturb-at expects a comma-separated list of inside, outside, schedule, wake-up or all, got '{text}'");
                return null;
            }
            points |= match.Point;
        }
        return points;
    }

    private static (TimeSpan, TimeSpan)? ParseStutter(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text == "off") return (TimeSpan.Zero, TimeSpan.Zero);
        if (TryParsePair(text, out var run, out var pause) && run <= DurationParser.Maximum && pause <= StressPerturbation.MaxHold)
            return (run, pause);
        result.AddError($"--stutter expects RUN/PAUSE such as 100ms/10ms (PAUSE at most 1s) or off, got '{text}'");
        return null;
    }

    private static (TimeSpan, TimeSpan)? ParsePhases(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text == "off") return (TimeSpan.Zero, TimeSpan.Zero);
        if (TryParsePair(text, out var perturbed, out var free) && perturbed > TimeSpan.Zero && free > TimeSpan.Zero &&
            perturbed <= StressPerturbation.MaxPhase && free <= StressPerturbation.MaxPhase)
            return (perturbed, free);
        result.AddError($"--phases expects PERTURBED/FREE such as 300ms/100ms (each more than 0 and at most 1m) or off, got '{text}'");
        return null;
    }

    // "A/B", two durations (--stutter RUN/PAUSE, --phases PERTURBED/FREE); each option checks its own bounds.
    private static bool TryParsePair(string text, out TimeSpan first, out TimeSpan second)
    {
        var parts = text.Split('/');
        first = second = TimeSpan.Zero;
        return parts.Length == 2 && DurationParser.TryParse(parts[0], out first) && DurationParser.TryParse(parts[1], out second);
    }
}
