using System.Globalization;

namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>
/// The parameters of one scenario run. Every scenario has its own defaults; the CLI overrides some. They are
/// written into traces (<see cref="ToDictionary"/>) so a trace says exactly what ran.
/// </summary>
public sealed record ScenarioParameters
{
    /// <summary>Upper bound of <see cref="Cpus"/>: beyond it a systematic run is too slow to mean anything.</summary>
    public const int MaxCpus = 128;

    /// <summary>Upper bound of <see cref="TasksPerCpu"/>.</summary>
    public const int MaxTasksPerCpu = 16;

    /// <summary>Upper bound of <see cref="LastPkmap"/>: the kernel's own LAST_PKMAP without PAE.</summary>
    public const int MaxLastPkmap = 1024;

    /// <summary>Upper bound of <see cref="Pages"/>.</summary>
    public const int MaxPages = 4096;

    /// <summary>Upper bound of <see cref="OpsPerTask"/>.</summary>
    public const int MaxOpsPerTask = 1000;

    /// <summary>Names of the parameters as traces write them; a scenario honours a subset (<see cref="IScenario.Honours"/>).</summary>
    public static readonly IReadOnlyList<string> Names = ["cpus", "tasksPerCpu", "lastPkmap", "pages", "opsPerTask", "variant"];

    /// <summary>The variant parameter's name, which every scenario honours.</summary>
    public const string VariantName = "variant";

    /// <summary>Simulated CPUs (NR_CPUS).</summary>
    public int Cpus { get; init; } = 2;

    /// <summary>Kernel tasks per CPU; more than one share a CPU and switch only at preemption points or sleeps.</summary>
    public int TasksPerCpu { get; init; } = 1;

    /// <summary>LAST_PKMAP: pkmap slots (512/1024 in the kernel, 2–8 in tests).</summary>
    public int LastPkmap { get; init; } = 4;

    /// <summary>Highmem pages the workload uses.</summary>
    public int Pages { get; init; } = 4;

    /// <summary>Operations (e.g. kmap+use+kunmap) per task.</summary>
    public int OpsPerTask { get; init; } = 2;

    /// <summary>The bug variant switched on, or <c>none</c> for the correct model.</summary>
    public string Variant { get; init; } = "none";

    /// <summary>
    /// The default livelock bound (steps per iteration) for this configuration. A correct run's steps grow with the
    /// operations (tasks × ops) times what each can wait behind (the other tasks, a wrap over the slots), so a
    /// fixed bound called large correct configurations livelocks (few-slots on 128 CPUs takes ≈ 33,000 steps an iteration).
    /// Measured on the correct model (2 to 128 CPUs) a run stays below a hundredth of it; 20,000 is the floor.
    /// </summary>
    public int StepBound
    {
        get
        {
            long tasks = (long)Cpus * TasksPerCpu;
            var bound = 20_000 + 100 * tasks * OpsPerTask * (tasks + LastPkmap + Pages);
            return (int)Math.Min(int.MaxValue, bound);
        }
    }

    /// <summary>The parameters as strings, for traces.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>
    {
        ["cpus"] = Cpus.ToString(CultureInfo.InvariantCulture),
        ["tasksPerCpu"] = TasksPerCpu.ToString(CultureInfo.InvariantCulture),
        ["lastPkmap"] = LastPkmap.ToString(CultureInfo.InvariantCulture),
        ["pages"] = Pages.ToString(CultureInfo.InvariantCulture),
        ["opsPerTask"] = OpsPerTask.ToString(CultureInfo.InvariantCulture),
        ["variant"] = Variant,
    };

    /// <summary>
    /// The checks every scenario shares: each count within its documented bound, and no parameter the scenario's
    /// workload does not read moved off its default (it would be recorded as if it had been used). Throws
    /// <see cref="ArgumentException"/> with a one-line reason.
    /// </summary>
    public void CheckFor(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Bound("cpus", Cpus, MaxCpus);
        Bound("tasksPerCpu", TasksPerCpu, MaxTasksPerCpu);
        Bound("lastPkmap", LastPkmap, MaxLastPkmap);
        Bound("pages", Pages, MaxPages);
        Bound("opsPerTask", OpsPerTask, MaxOpsPerTask);
        var mine = ToDictionary();
        var defaults = scenario.Defaults.ToDictionary();
        if (Unused(scenario, Names.Where(n => mine[n] != defaults[n])) is { } reason) throw new ArgumentException(reason);
    }

    /// <summary>
    /// Null when <paramref name="scenario"/> reads every parameter in <paramref name="given"/>; otherwise the one-line
    /// reason to refuse them ("it does not use lastPkmap (it uses: …)"). The CLI asks it about the options given.
    /// </summary>
    public static string? Unused(IScenario scenario, IEnumerable<string> given)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var ignored = given.Where(n => !scenario.Honours.Contains(n)).ToList();
        return ignored.Count == 0 ? null
            : $"it does not use {string.Join(", ", ignored)} (it uses: {string.Join(", ", Names.Where(scenario.Honours.Contains))})";
    }

    private static void Bound(string name, int value, int maximum)
    {
        if (value > maximum) throw new ArgumentException($"{name} is at most {maximum}, found {value}");
    }

    /// <summary>Reads parameters written by <see cref="ToDictionary"/>; a missing or bad entry throws <see cref="FormatException"/> naming it.</summary>
    public static ScenarioParameters FromDictionary(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new ScenarioParameters
        {
            Cpus = Int(values, "cpus"),
            TasksPerCpu = Int(values, "tasksPerCpu"),
            LastPkmap = Int(values, "lastPkmap"),
            Pages = Int(values, "pages"),
            OpsPerTask = Int(values, "opsPerTask"),
            Variant = values.TryGetValue("variant", out var v) ? v : throw new FormatException("parameter 'variant' is missing"),
        };
    }

    private static int Int(IReadOnlyDictionary<string, string> values, string key)
    {
        if (!values.TryGetValue(key, out var text)) throw new FormatException($"parameter '{key}' is missing");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw new FormatException($"parameter '{key}' must be a positive integer, found '{text}'");
        return n;
    }
}
