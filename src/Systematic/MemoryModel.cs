namespace HighMemConcurrency.Systematic;

/// <summary>
/// What a controlled thread's stores look like to the others (<see cref="TestOptions.MemoryModel"/>). The model's
/// shared memory is its <see cref="SimVar{T}"/> and <see cref="SimAtomic"/> objects; everything else (locks,
/// conditions, thread start and join) synchronises as it always does.
/// </summary>
public enum MemoryModel
{
    /// <summary>
    /// Sequential consistency (the default): a store is seen by every thread the moment it runs, so the only
    /// nondeterminism is the order of the threads' steps. Nothing changes from an engine without memory models.
    /// </summary>
    Sc,

    /// <summary>
    /// Total store order, the x86 model (x86-TSO, Sewell, Sarkar, Owens, Zappa Nardelli, Myreen, CACM 2010): each
    /// controlled thread (a CPU) has a FIFO store buffer. A <see cref="SimVar{T}.Write"/> or
    /// <see cref="SimAtomic.Store"/> enters its thread's buffer; a load reads its own thread's newest buffered store to
    /// that object, else memory; the oldest entry of a buffer becomes visible to every thread at once when the
    /// strategy schedules that buffer (a scheduling decision like a thread's step, recorded and replayed), so a later
    /// load may pass an earlier store to another object, and nothing else is reordered. Full barriers drain the
    /// thread's own buffer within its step: <see cref="Sim.MemoryBarrier"/> (<c>smp_mb</c>, <c>mfence</c>), the
    /// read-modify-write atomics (<c>lock</c>-prefixed on x86), every lock and condition operation, the start of a
    /// thread and a join (a <see cref="Sim.WaitUntil"/> is not: it is a spin that reads memory). A thread's exit is
    /// not a barrier either: its buffer goes on draining, a join of it waits until it is empty, and the iteration
    /// ends when every buffer is.
    /// Taking locks and conditions as full barriers (x86's unlock is a plain store that may wait in the buffer) is stronger than the hardware; every
    /// other guarantee is x86's. A store into a full buffer (<see cref="TestOptions.StoreBufferSize"/>) first makes
    /// that buffer's oldest entry visible, as a CPU stalls until its buffer drains.
    /// </summary>
    Tso,

    /// <summary>
    /// A weak model in the style of Arm and the Linux kernel memory model (LKMM, tools/memory-model): a load may read
    /// an older store to its location than the newest one, unless an ordering forbids it, so stores to different
    /// locations are seen in different orders by different threads and by the same thread's later loads. Operationally
    /// it is the promising semantics without promises (Kang, Hur, Lahav, Vafeiadis, Dreyer, POPL 2017): each location
    /// keeps every store in modification order; each thread keeps a view, the oldest store of each location it may
    /// still read; a load chooses (a scheduling decision, recorded and replayed, choice 0 the newest) among the
    /// <see cref="TestOptions.StoreBufferSize"/> newest stores its view allows and raises its view to the one it read.
    /// What orders, kept exactly as LKMM has it:
    /// coherence (per location, no thread reads older than a store it has read or written);
    /// <see cref="Sim.ReadBarrier"/> (<c>smp_rmb</c>: loads after it see at least what the stores read before it had seen when they were
    /// released); <see cref="Sim.WriteBarrier"/> (<c>smp_wmb</c>: stores after it carry what the thread had seen);
    /// <see cref="SimAtomic.StoreRelease"/> and <see cref="SimAtomic.LoadAcquire"/> (cumulative release, acquire);
    /// <see cref="Sim.MemoryBarrier"/> (<c>smp_mb</c>, an SC fence: each barrier sees what every earlier one saw) and
    /// the value-returning atomics, a full barrier on each side; a lock's release and the next acquire
    /// (<c>spin_unlock</c>, <c>spin_lock</c>; a condition's wait releases its lock and its wake-up re-acquires it);
    /// spawn and join. A <see cref="Sim.WaitUntil"/> is a spin of plain loads: when it proceeds its thread has read the
    /// newest store of each location its condition looked at, and nothing else.
    /// Deliberately stronger than LKMM: a store always becomes the newest of its location when it runs and loads
    /// run in program order, so a load is never ordered after a later store (load buffering, LB; S; 2+2W are never
    /// relaxed here, though LKMM allows them without barriers), and dependencies are not needed to order anything.
    /// </summary>
    Arm,
}

/// <summary>The names memory models go by in traces and on the command line: <c>sc</c>, <c>tso</c>, <c>arm</c>.</summary>
public static class MemoryModelNames
{
    /// <summary>Every name, in the order of <see cref="MemoryModel"/>.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<MemoryModel>().Select(Name).ToArray();

    /// <summary>The names joined for an error message: <c>sc, tso, arm</c>.</summary>
    public static string Valid => string.Join(", ", All);

    /// <summary>The lower-case name of <paramref name="model"/>.</summary>
    public static string Name(MemoryModel model) => model switch
    {
        MemoryModel.Sc => "sc",
        MemoryModel.Tso => "tso",
        MemoryModel.Arm => "arm",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "not a memory model"),
    };

    /// <summary>The model named <paramref name="name"/> (exact, lower case), or null.</summary>
    public static MemoryModel? Parse(string name) => name switch
    {
        "sc" => MemoryModel.Sc,
        "tso" => MemoryModel.Tso,
        "arm" => MemoryModel.Arm,
        _ => null,
    };
}
