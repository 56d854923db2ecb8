using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// Operations for test bodies and models. Inside a systematic test each call is a scheduling point; outside one
/// (native mode) it is the real thing: a real thread, a real yield, a real random value.
/// </summary>
public static class Sim
{
    /// <summary>True when the calling thread is a controlled thread of a running systematic test.</summary>
    public static bool IsControlled => RuntimeThread.Current is not null;

    /// <summary>Starts a thread running <paramref name="body"/>; under test it is paused until scheduled.</summary>
    public static SimThread Start(string name, Action body)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(body);
        var current = RuntimeThread.Current;
        if (current is null) return SimThread.StartNative(name, body);
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.Spawn, null);
        return runtime.Spawn(current, name, body).Handle;
    }

    /// <summary>Fails the test (an <see cref="BugKind.AssertionFailure"/>) when <paramref name="condition"/> is false.</summary>
    public static void Assert(bool condition, string message)
    {
        if (condition) return;
        var current = RuntimeThread.Current;
        if (current is null) throw new SimAssertionException(message);
        current.Runtime.Fail(BugKind.AssertionFailure, message);
    }

    /// <summary>An explicit scheduling point; natively a <see cref="Thread.Yield"/>.</summary>
    public static void Yield()
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            Thread.Yield();
            return;
        }
        current.Runtime.SchedulingPoint(current, OperationKind.Yield, null);
    }

    /// <summary>
    /// A full memory barrier (the kernel's <c>smp_mb()</c>, x86's <c>mfence</c>): under
    /// <see cref="MemoryModel.Tso"/> every store the calling thread has buffered becomes visible, in order, before its
    /// next access; it is a scheduling point only then (a barrier with nothing to drain changes nothing), so
    /// sequentially consistent runs keep their schedules. Under <see cref="MemoryModel.Arm"/> it is always a
    /// scheduling point: the thread sees what it read and what every earlier full barrier saw, and later barriers see
    /// what it sees. Natively .NET's own <see cref="Interlocked.MemoryBarrier"/> runs.
    /// </summary>
    public static void MemoryBarrier()
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            Interlocked.MemoryBarrier();
            return;
        }
        if (current.Buffer is { Count: > 0 } || current.Views is not null) current.Runtime.SchedulingPoint(current, OperationKind.Fence, null);
    }

    /// <summary>
    /// The kernel's <c>smp_wmb()</c>: the calling thread's later stores are ordered after its earlier ones. Under
    /// <see cref="MemoryModel.Arm"/> a thread that reads one of those later stores and then passes
    /// <see cref="ReadBarrier"/> sees everything the caller had seen here. A compiler barrier on x86 (x86 keeps
    /// stores in order), so nothing under <see cref="MemoryModel.Sc"/> and <see cref="MemoryModel.Tso"/>; never a
    /// scheduling point, since it changes only the caller's own state. Natively a full .NET fence.
    /// </summary>
    public static void WriteBarrier() => OwnViewsBarrier(static views => views.ReleaseFence());

    /// <summary>
    /// The kernel's <c>smp_rmb()</c>: the calling thread's later loads are ordered after its earlier ones. Under
    /// <see cref="MemoryModel.Arm"/> it takes in what the stores it read had seen when they were released (their
    /// writers' <see cref="WriteBarrier"/>, release or full barrier), so later loads read nothing older. Nothing under
    /// <see cref="MemoryModel.Sc"/> and <see cref="MemoryModel.Tso"/> (x86 keeps loads in order); never a scheduling
    /// point. Natively a full .NET fence.
    /// </summary>
    public static void ReadBarrier() => OwnViewsBarrier(static views => views.AcquireFence());

    // smp_wmb and smp_rmb: natively a full .NET fence; under test a change of the caller's own views (arm only).
    private static void OwnViewsBarrier(Action<ThreadViews> barrier)
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            Interlocked.MemoryBarrier();
            return;
        }
        if (current.Views is { } views) barrier(views);
    }

    /// <summary>A scheduling point that names the operation about to happen, for interleavings.</summary>
    public static void SchedulingPoint(string operation)
    {
        var current = RuntimeThread.Current;
        if (current is null) return;
        current.Runtime.SchedulingPoint(current, OperationKind.Custom, operation);
    }

    /// <summary>Controlled nondeterminism: a value in [0, <paramref name="count"/>) chosen by the strategy and recorded.</summary>
    public static int Choose(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var current = RuntimeThread.Current;
        if (current is null) return count == 1 ? 0 : Random.Shared.Next(count);
        return current.Runtime.Choose(current, count);
    }

    /// <summary>
    /// Blocks until <paramref name="condition"/> holds. Under test the thread is disabled (never busy-waiting) and
    /// re-enabled when the condition is true at a later scheduling point; natively it spins with yields. The
    /// condition must only read model state, not call engine primitives. It creates no happens-before edge.
    /// </summary>
    public static void WaitUntil(Func<bool> condition, string description)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var current = RuntimeThread.Current;
        if (current is null)
        {
            var spin = new SpinWait();
            while (!condition()) spin.SpinOnce(sleep1Threshold: -1);
            return;
        }
        current.Runtime.SchedulingPoint(current, OperationKind.WaitUntil, description, 0, new PredicateWait(condition, description));
    }

    /// <summary>Attaches a note (e.g. <c>pkmap_count[3]: 2→1</c>) to the step being executed; a no-op natively.</summary>
    public static void Note(string text)
    {
        var current = RuntimeThread.Current;
        if (current is null) return;
        current.Runtime.Note(text);
    }

    /// <summary>
    /// Records that the running iteration reached the model event <paramref name="eventName"/> (e.g.
    /// <c>kmap slept on pkmap_map_wait</c>); the report counts, per event, the iterations that reached it
    /// (<see cref="TestReport.Coverage"/>), so a user sees what a run exercised and what it never did. It is not a
    /// scheduling point and changes no schedule or trace. A no-op natively.
    /// </summary>
    public static void Cover(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        RuntimeThread.Current?.Runtime.Cover(eventName);
    }

    /// <summary>
    /// Registers, for the current iteration, a function that explains a deadlock in model terms (e.g. lost wakeup
    /// vs. pool exhaustion); its text is appended to the deadlock message. A no-op natively.
    /// </summary>
    public static void OnDeadlock(Func<string?> explain)
    {
        ArgumentNullException.ThrowIfNull(explain);
        RuntimeThread.Current?.Runtime.AddDeadlockExplainer(explain);
    }

    /// <summary>
    /// Fails the iteration with <paramref name="kind"/> (e.g. a model's invariant as an assertion). Natively it
    /// throws <see cref="SimAssertionException"/>.
    /// </summary>
    public static void Fail(BugKind kind, string message)
    {
        var current = RuntimeThread.Current;
        if (current is null) throw new SimAssertionException($"{kind}: {message}");
        current.Runtime.Fail(kind, message);
    }
}

/// <summary>A failed <see cref="Sim.Assert"/> outside a systematic test.</summary>
public sealed class SimAssertionException(string message) : Exception(message);
