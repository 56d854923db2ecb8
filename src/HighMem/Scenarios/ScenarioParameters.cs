using System.Globalization;

namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>
/// The parameters of one scenario run. Every scenario has its own defaults; the CLI overrides some. They are
/// written into traces (<see cref="ToDictionary"/>) so a trace says exactly what ran.
/// </summary>
public sealed record ScenarioParameters
{
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
