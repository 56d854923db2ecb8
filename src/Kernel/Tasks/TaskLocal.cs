using System.Runtime.CompilerServices;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// A field of task_struct added by the model (e.g. kmap_ctrl, pagefault_disabled): one value per task, created on
/// first use, touched only by the task itself (and by interrupts nested on it).
/// </summary>
public sealed class TaskLocal<T> where T : class
{
    private readonly ConditionalWeakTable<KernelTask, T> _values = new();
    private readonly Func<KernelTask, T> _create;

    /// <summary>Creates the field; <paramref name="create"/> builds a task's value on first use.</summary>
    public TaskLocal(Func<KernelTask, T> create) => _create = create ?? throw new ArgumentNullException(nameof(create));

    /// <summary>The value of <paramref name="task"/>.</summary>
    public T Of(KernelTask task) => _values.GetValue(task, t => _create(t));

    /// <summary>The value of <paramref name="task"/> if it was ever created.</summary>
    public T? Peek(KernelTask task) => _values.TryGetValue(task, out var v) ? v : null;
}
