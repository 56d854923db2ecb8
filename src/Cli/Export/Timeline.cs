namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// A bug's interleaving laid out for drawing: one lane per simulated CPU, one per task and one per lock, one slice per
/// step, the intervals a task spent waiting (asleep, spinning, blocked) between its steps, who held each lock when,
/// the model's notes on their steps, arrows from a cause to its effect, missed wake-ups, and the failing step. Both exporters
/// (<see cref="PerfettoExporter"/>, <see cref="HtmlTimelineExporter"/>) draw exactly this, so they never disagree.
/// </summary>
/// <param name="Title">Scenario, variant and schedule, e.g. <c>few-slots + wake-on-zero, pct seed 1, iteration 6</c>.</param>
/// <param name="BugKind">The bug class, e.g. <c>Deadlock</c>.</param>
/// <param name="BugMessage">The bug's message as the engine reported it.</param>
/// <param name="Lanes">CPU lanes first (ordered by CPU number), then task lanes (ordered by thread id), then lock lanes
/// (ordered by first acquisition).</param>
/// <param name="Steps">Every step, in execution order.</param>
/// <param name="Flows">Wake → woken and IPI → acknowledgement arrows.</param>
/// <param name="FailingStep">The step the bug was detected at (the last one).</param>
/// <param name="Waits">Each task's waits between its steps, in order of thread, then step.</param>
/// <param name="Holds">Each lock's holders, in order of lock lane, then step.</param>
/// <param name="Marks">Steps where a wake-up the kernel would have done did not happen.</param>
internal sealed record Timeline(string Title, string BugKind, string BugMessage, IReadOnlyList<TimelineLane> Lanes,
    IReadOnlyList<TimelineStep> Steps, IReadOnlyList<TimelineFlow> Flows, int FailingStep,
    IReadOnlyList<TimelineWait> Waits, IReadOnlyList<TimelineHold> Holds, IReadOnlyList<TimelineMark> Marks);

/// <summary>
/// A horizontal lane: a simulated CPU (<see cref="Cpu"/> set), a task (<see cref="ThreadId"/> set) or a lock
/// (<see cref="Lock"/> set, e.g. <c>kmap_lock</c>).
/// </summary>
internal sealed record TimelineLane(int Index, string Name, int? Cpu, int? ThreadId, string? Lock = null);

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

/// <summary>An interval during which a task ran no step because it waited.</summary>
/// <param name="ThreadId">The waiting task's thread index.</param>
/// <param name="From">The first step it waited through.</param>
/// <param name="To">The last step it waited through (inclusive).</param>
/// <param name="Kind"><c>sleeping</c> (in schedule(), until a wake-up), <c>runnable</c> (woken, not yet running again),
/// <c>spinning</c> (on a spin lock), <c>blocked</c> (on a lock, a join, an IPI acknowledgement or another condition).</param>
/// <param name="On">What it waits for, in kernel words: <c>pkmap_map_wait</c>, <c>kmap_lock</c>, <c>join T1 'kmapd/0'</c>.</param>
/// <param name="Label">What a person reads on the bar, e.g. <c>sleeping on pkmap_map_wait since step 72 — never woken</c>.</param>
/// <param name="Since">The step the wait began; earlier than <see cref="From"/> when IPIs served in between split one sleep.</param>
/// <param name="Open">The wait never ended: <see cref="To"/> is the run's last step.</param>
internal sealed record TimelineWait(int ThreadId, int From, int To, string Kind, string On, string Label, int Since, bool Open);

/// <summary>A lock held by one task from its acquiring step to its releasing step.</summary>
/// <param name="Lock">The lock's name, e.g. <c>kmap_lock</c>.</param>
/// <param name="ThreadId">The holder's thread index.</param>
/// <param name="Task">The holder's name.</param>
/// <param name="From">The step that acquired it.</param>
/// <param name="To">The step that released it.</param>
/// <param name="Open">Still held when the run ended; <see cref="To"/> is the run's last step.</param>
internal sealed record TimelineHold(string Lock, int ThreadId, string Task, int From, int To, bool Open);

/// <summary>A step the timeline calls out.</summary>
/// <param name="Step">The step, e.g. the kunmap_high's <c>pkmap_count[1]: 2→1</c>.</param>
/// <param name="ThreadId">The task that ran it.</param>
/// <param name="Kind"><c>missed-wakeup</c>.</param>
/// <param name="Label">What a person reads, e.g. <c>missed wake_up: pkmap_count[1] 2→1 while kmapd/0 sleeps on pkmap_map_wait; …</c>.</param>
/// <param name="Sleepers">The tasks asleep on the queue at that step, whom the wake-up would have woken.</param>
internal sealed record TimelineMark(int Step, int ThreadId, string Kind, string Label, IReadOnlyList<int> Sleepers);
