using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// Plain shared memory. Under test every access is a scheduling point, and two accesses by different threads, at
/// least one a write, that are not ordered by happens-before are reported as a <see cref="BugKind.DataRace"/>
/// naming both (vector clocks with per-thread read epochs, in the style of FastTrack, Flanagan and Freund 2009).
/// Natively it is an ordinary field. Under <see cref="MemoryModel.Tso"/> a write waits in its thread's store buffer
/// until the schedule makes it visible, and a read sees its own thread's newest buffered write, else memory; under
/// <see cref="MemoryModel.Arm"/> a read may see an older write than the newest one, as its thread's view allows (the
/// kernel's <c>READ_ONCE</c>/<c>WRITE_ONCE</c> on a weak CPU). Races are judged on the accesses in program order
/// under every model.
/// </summary>
public sealed class SimVar<T> : IBufferedLocation
{
    private T _value;

    // Race metadata for the execution _stamp names: the last write's (thread, epoch, step) and, per thread, the
    // epoch and step of its last read since that write (epoch 0 = no read).
    private ExecutionStamp _stamp;
    private ObjectLabel _label;
    private int _writer;            // -1 for none: Renew sets it before the first check of every execution
    private int _writeEpoch;
    private int _writeStep;
    private int[] _readEpoch = new int[4];
    private int[] _readStep = new int[4];
    private LocationHistory? _history;    // under Arm: this execution's writes to the variable

    /// <summary>Creates the variable with an initial value and an optional name for reports.</summary>
    public SimVar(T initial = default!, string? name = null)
    {
        _value = initial;
        Name = name;
        _label.OnCreated();
    }

    /// <summary>The variable's name, or null.</summary>
    public string? Name { get; }

    /// <summary>
    /// The value without a scheduling point or race check: for invariant checks, reports and
    /// <see cref="Sim.WaitUntil"/> conditions. It is what the calling thread would read: under
    /// <see cref="MemoryModel.Tso"/> its own newest buffered store, else memory; under <see cref="MemoryModel.Arm"/>
    /// the newest store, which a WaitUntil condition's thread then has read.
    /// </summary>
    public T Peek
    {
        get
        {
            if (RuntimeThread.Viewer is not { } viewer) return _value;
            viewer.Views?.OnPeek(_stamp.IsCurrent(viewer.Runtime) ? _history : null);
            return viewer.Buffer is { Count: > 0 } buffer && buffer.TryForward(this, out var own) ? (T)own! : _value;
        }
    }

    /// <summary>Reads the value.</summary>
    public T Read()
    {
        var current = RuntimeThread.Current;
        if (current is null) return _value;
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.VarRead, this);
        Renew(runtime);
        if (runtime.Causality.Active) CheckRead(current, runtime);
        if (current.Views is { } views) return (T)runtime.Weak!.Read(runtime, views, _history!, acquire: false, this).Value!;
        if (current.Buffer is { Count: > 0 } buffer && buffer.TryForward(this, out var forwarded)) return (T)forwarded!;
        return _value;
    }

    /// <summary>Writes the value.</summary>
    public void Write(T value)
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            _value = value;
            return;
        }
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.VarWrite, this);
        Renew(runtime);
        if (runtime.Causality.Active) CheckWrite(current, runtime);
        if (current.Buffer is { } buffer) buffer.Add(this, value, Shown(value), null);
        else _value = value;
        if (current.Views is { } views) runtime.Weak!.Write(views, _history!, value, Shown(value), release: false, clock: null);
    }

    void IBufferedLocation.Commit(object? value, VectorClock? release, IControlledRuntime runtime) => _value = (T)value!;

    // Numbers and flags are shown in the interleaving; a list or a record is not.
    private static string? Shown(T value) => value switch
    {
        int i => StoreBuffer.Show(i),
        bool b => b ? "true" : "false",
        _ => null,
    };

    string ISimObject.Describe() => Name is null ? _label.Format("var") : $"var '{Name}'";

    /// <inheritdoc />
    public override string ToString() => ((ISimObject)this).Describe();

    private void Renew(IControlledRuntime runtime)
    {
        if (!_stamp.Renew(runtime)) return;
        _label.OnTouched(runtime);
        _writer = -1;
        Array.Clear(_readEpoch);
        _history = runtime.Weak?.NewLocation(_value, Shown(_value));
    }

    private void CheckRead(RuntimeThread current, IControlledRuntime runtime)
    {
        var clock = runtime.Causality.ClockOf(current.Id);
        if (_writer >= 0 && _writer != current.Id && _writeEpoch > clock[_writer])
            Race(runtime, current, "Read", _writer, "Write", _writeStep);
        var id = current.Id;
        if (id >= _readEpoch.Length)
        {
            // Stryker disable once Arithmetic : how far beyond id + 1 the arrays grow is a speed choice
            Array.Resize(ref _readEpoch, Math.Max(id + 1, _readEpoch.Length * 2));
            Array.Resize(ref _readStep, _readEpoch.Length);
        }
        _readEpoch[id] = clock[id];
        _readStep[id] = runtime.Step;
    }

    private void CheckWrite(RuntimeThread current, IControlledRuntime runtime)
    {
        var clock = runtime.Causality.ClockOf(current.Id);
        if (_writer >= 0 && _writer != current.Id && _writeEpoch > clock[_writer])
            Race(runtime, current, "Write", _writer, "Write", _writeStep);
        for (var t = 0; t < _readEpoch.Length; t++)
        {
            // Stryker disable once Logical : the writer's own read epoch never exceeds its own clock, so t != current.Id only saves a look
            if (t != current.Id && _readEpoch[t] != 0 && _readEpoch[t] > clock[t])
                Race(runtime, current, "Write", t, "Read", _readStep[t]);
        }
        _writer = current.Id;
        _writeEpoch = clock[current.Id];
        _writeStep = runtime.Step;
        // A later access unordered with a read before this write is unordered with this write too (happens-before is
        // transitive), and a write-write race is reported before a write-read one: forgetting the reads loses nothing.
        // Stryker disable once Statement : see above
        Array.Clear(_readEpoch);
    }

    private void Race(IControlledRuntime runtime, RuntimeThread current, string access, int otherThread, string otherAccess, int otherStep) =>
        runtime.Fail(BugKind.DataRace,
            $"data race on {((ISimObject)this).Describe()}: {access} by {current.Label} at step {runtime.Step} is not ordered " +
            $"by happens-before with the {otherAccess} by {runtime.ThreadLabel(otherThread)} at step {otherStep}");
}
