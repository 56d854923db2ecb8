namespace HighMemConcurrency.Kernel;

/// <summary>
/// Per-CPU data (<c>DEFINE_PER_CPU</c>): one value per CPU, touched only by code running on that CPU (a task or an
/// interrupt nested on it), so no lock is needed, as in the kernel.
/// </summary>
public sealed class PerCpu<T>
{
    private readonly T[] _values;

    /// <summary>Creates one value per CPU of <paramref name="machine"/>, each from <paramref name="initial"/>.</summary>
    public PerCpu(Machine machine, Func<int, T> initial)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(initial);
        _values = new T[machine.Cpus.Count];
        for (var i = 0; i < _values.Length; i++) _values[i] = initial(i);
    }

    /// <summary>The value of CPU <paramref name="cpu"/> (<c>per_cpu(var, cpu)</c>).</summary>
    public T this[int cpu]
    {
        get => _values[cpu];
        set => _values[cpu] = value;
    }

    /// <summary>The value of the CPU the caller runs on (<c>this_cpu_read</c>).</summary>
    public T Current
    {
        get => _values[Machine.CurrentCpuOrThrow.Id];
        set => _values[Machine.CurrentCpuOrThrow.Id] = value;
    }
}
