using System.Globalization;

namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>Groups of the model's scheduling points where a stress perturbation may delay a task.</summary>
[Flags]
public enum PerturbationPoints
{
    /// <summary>Nowhere.</summary>
    None = 0,

    /// <summary>Inside a lock (spinlocks such as kmap_lock, lock_page): just after taking it and just before releasing it.</summary>
    Inside = 1,

    /// <summary>Outside a lock: just before taking it and just after releasing it.</summary>
    Outside = 2,

    /// <summary>Before and after schedule().</summary>
    Schedule = 4,

    /// <summary>Before and after wake_up().</summary>
    WakeUp = 8,

    /// <summary>All of them.</summary>
    All = Inside | Outside | Schedule | WakeUp,
}

/// <summary>
/// How a native stress run perturbs its tasks to reach interleavings that free-running threads rarely produce, as
/// the kernel's locktorture and rcutorture do: random short delays and occasional long holds at the model's
/// scheduling points, a stutter of the load (bursts of work, then a pause in which every task stops between two
/// operations), and more tasks than CPUs (so that tasks are preempted, and migrate where the scenario allows it, at
/// their CPU's switch points). Every decision comes from a per-task stream seeded by the run's seed, so a run's perturbation
/// decisions repeat with <c>--seed</c> (their timing, like everything native, does not). <see cref="None"/> (the
/// default) installs nothing; <see cref="Standard"/> is the <c>--perturb</c> preset. Immutable.
/// </summary>
public sealed record StressPerturbation
{
    /// <summary>Nothing perturbed: the stress driver runs the model at full speed.</summary>
    public static StressPerturbation None { get; } = new();

    /// <summary>
    /// The <c>--perturb</c> preset: a short delay at 2 % of the points, a hold of up to 2 ms at 0.2 %, everywhere; a
    /// 10 ms pause of load after every 100 ms of work; two tasks per CPU; phases of 300 ms perturbed and 100 ms free.
    /// </summary>
    public static StressPerturbation Standard { get; } = new()
    {
        DelayChance = 0.02, HoldChance = 0.002, StutterRun = TimeSpan.FromMilliseconds(100), StutterPause = TimeSpan.FromMilliseconds(10),
        TasksPerCpu = 2, PerturbedPhase = TimeSpan.FromMilliseconds(300), FreePhase = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>The longest <see cref="PerturbedPhase"/> and <see cref="FreePhase"/>.</summary>
    public static readonly TimeSpan MaxPhase = TimeSpan.FromMinutes(1);

    /// <summary>The largest <see cref="DelaySpins"/>: a short delay stays in the microseconds.</summary>
    public const int MaxDelaySpins = 100_000;

    /// <summary>The longest <see cref="HoldMax"/> and <see cref="StutterPause"/>.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(1);

    /// <summary>Chance in [0, 1] that a task passing a perturbation point is delayed briefly (a busy spin).</summary>
    public double DelayChance { get; init; }

    /// <summary>Upper bound of a short delay, in <see cref="Thread.SpinWait"/> iterations (1 to <see cref="MaxDelaySpins"/>).</summary>
    public int DelaySpins { get; init; } = 1000;

    /// <summary>Chance in [0, 1] that a task passing a perturbation point is held for a while (a real sleep, inside a lock too).</summary>
    public double HoldChance { get; init; }

    /// <summary>Upper bound of a hold (whole milliseconds, 1 ms to <see cref="MaxHold"/>); each hold is 1 ms to this.</summary>
    public TimeSpan HoldMax { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Where delays and holds may happen.</summary>
    public PerturbationPoints Points { get; init; } = PerturbationPoints.All;

    /// <summary>Work between two pauses of load; zero turns the stutter off.</summary>
    public TimeSpan StutterRun { get; init; }

    /// <summary>
    /// How long a pause of load lasts at least: every task stops after its current operation until the pause is over
    /// and all have stopped — the moment a lost wakeup shows, because nobody is left to heal it.
    /// </summary>
    public TimeSpan StutterPause { get; init; }

    /// <summary>
    /// Tasks per simulated CPU the run asks for, or null: applied when the scenario's default is fewer, no
    /// <c>--tasks-per-cpu</c> was given and the scenario takes it (one with fixed task roles keeps its own).
    /// </summary>
    public int? TasksPerCpu { get; init; }

    /// <summary>
    /// With <see cref="FreePhase"/>: how long each perturbed phase lasts, from the round's start (then a free phase,
    /// then a perturbed one again).
    /// </summary>
    public TimeSpan PerturbedPhase { get; init; }

    /// <summary>
    /// How long each free phase lasts, or zero (the default: delays and holds throughout). In a free phase nothing is
    /// delayed or held, so the races that need the model at full speed meet nearly as often as without perturbation;
    /// the stutter and the extra tasks stay (a lost wakeup shows at the next pause whenever it happened). Decisions are
    /// still drawn there, and dropped, so that a task's k-th decision stays the same whatever the timing. Without
    /// delays or holds the phases change nothing.
    /// </summary>
    public TimeSpan FreePhase { get; init; }

    /// <summary>True when the run alternates perturbed and free phases.</summary>
    public bool HasFreePhases => FreePhase > TimeSpan.Zero;

    /// <summary>True when nothing is perturbed.</summary>
    public bool IsNone => !Delays && !Stutters && TasksPerCpu is null;

    /// <summary>True when delays or holds may happen.</summary>
    public bool Delays => (DelayChance > 0 || HoldChance > 0) && Points != PerturbationPoints.None;

    /// <summary>True when the load stutters.</summary>
    public bool Stutters => StutterRun > TimeSpan.Zero;

    /// <summary>Why these values are refused (one line), or null when they are valid.</summary>
    public string? Problem()
    {
        if (double.IsNaN(DelayChance) || DelayChance is < 0 or > 1) return $"the delay chance must be in [0, 1], found {Format(DelayChance)}";
        if (double.IsNaN(HoldChance) || HoldChance is < 0 or > 1) return $"the hold chance must be in [0, 1], found {Format(HoldChance)}";
        if (DelayChance + HoldChance > 1) return $"the delay and hold chances add up to more than 1 ({Format(DelayChance + HoldChance)})";
        if (DelaySpins is < 1 or > MaxDelaySpins) return $"delay spins must be 1 to {MaxDelaySpins}, found {DelaySpins}";
        if (HoldMax < TimeSpan.FromMilliseconds(1) || HoldMax > MaxHold) return $"the longest hold must be 1ms to 1s, found {HoldMax.TotalMilliseconds:0.###}ms";
        if (StutterRun < TimeSpan.Zero) return "the stutter's run must not be negative";
        if (Stutters && (StutterPause <= TimeSpan.Zero || StutterPause > MaxHold)) return $"the stutter's pause must be more than 0 and at most 1s, found {StutterPause.TotalMilliseconds:0.###}ms";
        if (!Stutters && StutterPause != TimeSpan.Zero) return "a stutter pause needs a stutter run (RUN/PAUSE)";
        if (TasksPerCpu is < 1 or > ScenarioParameters.MaxTasksPerCpu) return $"tasks per CPU must be 1 to {ScenarioParameters.MaxTasksPerCpu}, found {TasksPerCpu}";
        if (PerturbedPhase < TimeSpan.Zero || FreePhase < TimeSpan.Zero) return "a phase must not be negative";
        if (PerturbedPhase > MaxPhase || FreePhase > MaxPhase) return "a phase must be at most 1m";
        if (HasFreePhases && PerturbedPhase == TimeSpan.Zero) return "free phases need perturbed phases between them (PERTURBED/FREE, both more than 0)";
        if (!HasFreePhases && PerturbedPhase != TimeSpan.Zero) return "a perturbed phase needs a free phase (PERTURBED/FREE)";
        return null;
    }

    /// <summary>One line: what is perturbed, e.g. <c>delay 2% (≤1000 spins), hold 0.2% (≤2ms) at inside,outside,schedule,wake-up; stutter 100ms/10ms; 2 tasks per CPU; phases 300ms perturbed/100ms free</c>.</summary>
    public override string ToString()
    {
        if (IsNone) return "none";
        var parts = new List<string>();
        if (Delays)
            parts.Add($"delay {Percent(DelayChance)} (≤{DelaySpins} spins), hold {Percent(HoldChance)} (≤{HoldMax.TotalMilliseconds:0}ms) at {PointNames(Points)}");
        if (Stutters) parts.Add($"stutter {StutterRun.TotalMilliseconds:0}ms/{StutterPause.TotalMilliseconds:0}ms");
        if (TasksPerCpu is { } tasks) parts.Add($"{tasks} tasks per CPU");
        if (HasFreePhases && Delays) parts.Add($"phases {PerturbedPhase.TotalMilliseconds:0}ms perturbed/{FreePhase.TotalMilliseconds:0}ms free");
        return string.Join("; ", parts);
    }

    /// <summary>The names of <paramref name="points"/> as <c>--perturb-at</c> takes them (<c>inside,outside,schedule,wake-up</c>).</summary>
    public static string PointNames(PerturbationPoints points) =>
        points == PerturbationPoints.None ? "none" : string.Join(",", PointNameTable.Where(p => points.HasFlag(p.Point)).Select(p => p.Name));

    /// <summary>The point groups by name, as <c>--perturb-at</c> takes them.</summary>
    public static IReadOnlyList<(string Name, PerturbationPoints Point)> PointNameTable { get; } =
    [
        ("inside", PerturbationPoints.Inside), ("outside", PerturbationPoints.Outside),
        ("schedule", PerturbationPoints.Schedule), ("wake-up", PerturbationPoints.WakeUp),
    ];

    private static string Percent(double chance) => (chance * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
