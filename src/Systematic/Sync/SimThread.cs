using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic;

/// <summary>A thread started with <see cref="Sim.Start"/>: controlled under test, a real thread natively.</summary>
public sealed class SimThread
{
    [ThreadStatic] private static SimThread? t_native;

    private readonly RuntimeThread? _controlled;
    private readonly Thread? _native;
    private Exception? _nativeError;

    internal SimThread(RuntimeThread controlled)
    {
        _controlled = controlled;
        Name = controlled.Name;
    }

    private SimThread(string name, Action body)
    {
        Name = name;
        _native = new Thread(() =>
        {
            t_native = this;
            try
            {
                body();
            }
            catch (Exception e)
            {
                _nativeError = e;
            }
        }) { IsBackground = true, Name = name };
    }

    /// <summary>The thread's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The <see cref="SimThread"/> the caller runs on: the controlled thread under test, the native thread started by
    /// <see cref="Sim.Start"/> natively, or null on any other thread.
    /// </summary>
    public static SimThread? Current => RuntimeThread.Current?.Handle ?? t_native;

    /// <summary>
    /// A slot for the layer above (e.g. the kernel task a thread is). Set it from the thread itself or before the
    /// thread runs; under test it lives as long as the iteration.
    /// </summary>
    public object? Tag { get; set; }

    /// <summary>True once the thread's body has returned or thrown (a peek: no scheduling point).</summary>
    public bool IsCompleted => _controlled?.Finished ?? !_native!.IsAlive;

    /// <summary>The stable creation index under test (0 is the test body); natively the managed thread id.</summary>
    public int Id => _controlled?.Number ?? _native!.ManagedThreadId;

    internal static SimThread StartNative(string name, Action body)
    {
        var t = new SimThread(name, body);
        t._native!.Start();
        return t;
    }

    /// <summary>Waits for the thread to finish. Natively, an exception the thread threw is rethrown here.</summary>
    public void Join()
    {
        if (_native is not null)
        {
            _native.Join();
            if (_nativeError is { } e) throw new SimThreadException(Name, e);
            return;
        }
        var current = RuntimeThread.Current ?? throw new InvalidOperationException("a controlled thread can only be joined from its own test");
        var target = _controlled!;
        if (target == current) throw new InvalidOperationException($"{target.Label} cannot join itself");
        current.Runtime.SchedulingPoint(current, OperationKind.Join, target, 0, target);
        current.Runtime.Causality.OnJoined(current.Id, target.Id);
    }

    /// <inheritdoc />
    public override string ToString() => _controlled?.Label ?? $"thread '{Name}'";
}

/// <summary>A natively run <see cref="SimThread"/> ended with an exception; it is the inner exception.</summary>
public sealed class SimThreadException(string thread, Exception inner)
    : Exception($"thread '{thread}' threw {inner.GetType().Name}: {inner.Message}", inner);
