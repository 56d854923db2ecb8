namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// A bug's interleaving laid out for drawing: one lane per simulated CPU and one per task, one slice per step, the
/// model's notes on their steps, arrows from a cause to its effect, and the failing step. Both exporters
/// (<see cref="PerfettoExporter"/>, <see cref="HtmlTimelineExporter"/>) draw exactly this, so they never disagree.
/// </summary>
/// <param name="Title">Scenario, variant and schedule, e.g. <c>few-slots + wake-on-zero, pct seed 1, iteration 6</c>.</param>
/// <param name="BugKind">The bug class, e.g. <c>Deadlock</c>.</param>
/// <param name="BugMessage">The bug's message as the engine reported it.</param>
/// <param name="Lanes">CPU lanes first (ordered by CPU number), then task lanes (ordered by thread id).</param>
/// <param name="Steps">Every step, in execution order.</param>
/// <param name="Flows">Wake → woken and IPI → acknowledgement arrows.</param>
/// <param name="FailingStep">The step the bug was detected at (the last one).</param>
internal sealed record Timeline(string Title, string BugKind, string BugMessage, IReadOnlyList<TimelineLane> Lanes,
    IReadOnlyList<TimelineStep> Steps, IReadOnlyList<TimelineFlow> Flows, int FailingStep);

/// <summary>A horizontal lane: a simulated CPU (<see cref="Cpu"/> set) or a task (<see cref="ThreadId"/> set).</summary>
internal sealed record TimelineLane(int Index, string Name, int? Cpu, int? ThreadId);

/// <summary>One step: which task ran it, on which CPU (null when the task held none, e.g. the test body).</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="ThreadId">The engine's thread index of the task that ran it.</param>
/// <param name="Task">The task's name, e.g. <c>kmapd/1</c>.</param>
/// <param name="Cpu">The CPU whose run lock the task held, or null.</param>
/// <param name="Label">The operation and its object, in the engine's words.</param>
/// <param name="Notes">What the model noted at this step.</param>
/// <param name="State">What the task was doing: <c>running</c>, <c>spinning</c>, <c>sleeping</c>, <c>irq</c> or <c>ipi</c>.</param>
internal sealed record TimelineStep(int Step, int ThreadId, string Task, int? Cpu, string Label, string State,
    IReadOnlyList<string> Notes);

/// <summary>An arrow from step <see cref="From"/> to step <see cref="To"/>; <see cref="Kind"/> is <c>wake</c> or <c>ipi</c>.</summary>
internal sealed record TimelineFlow(int From, int To, string Kind);
