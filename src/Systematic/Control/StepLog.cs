using System.Globalization;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The steps of the current iteration, kept as preallocated structs so that recording a step allocates nothing;
/// text is produced only when a bug is reported.
/// </summary>
internal sealed class StepLog
{
    private struct Entry
    {
        public RuntimeThread Thread;
        public OperationKind Kind;
        public object? Target;
        public long Arg;
        public long Result;
        public List<string>? Notes;
    }

    private Entry[] _entries = new Entry[256];
    private int _count;

    public int Count => _count;

    public void Clear()
    {
        // Stryker disable once Statement : lets the collector have the last iteration's objects; Record rewrites every field a report reads
        Array.Clear(_entries, 0, _count);
        _count = 0;
    }

    public void Record(RuntimeThread thread, OperationKind kind, object? target, long arg)
    {
        if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        ref var e = ref _entries[_count++];
        e.Thread = thread;
        e.Kind = kind;
        e.Target = target;
        e.Arg = arg;
        e.Result = 0;
        e.Notes = null;
    }

    /// <summary>Records the value the last step's operation produced (e.g. an atomic's new value).</summary>
    public void SetResult(long result)
    {
        // Stryker disable once Statement : a thread's first step (its start) is recorded before its body runs, so a primitive never finds the log empty
        if (_count == 0) return;
        ref var e = ref _entries[_count - 1];
        e.Result = result;
    }

    public void AddNote(string note)
    {
        // Stryker disable once Statement : as in SetResult
        if (_count == 0) return;
        (_entries[_count - 1].Notes ??= []).Add(note);
    }

    public List<StepRecord> ToRecords()
    {
        var list = new List<StepRecord>(_count);
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref _entries[i];
            var custom = e.Kind == OperationKind.Custom;
            list.Add(new StepRecord(i + 1, e.Thread.Number, e.Thread.Name,
                custom ? (string)e.Target! : FormatOperation(e), custom ? null : FormatTarget(e.Target),
                e.Notes is null ? [] : e.Notes.ToArray()));
        }
        return list;
    }

    private static string? FormatTarget(object? target) => target switch
    {
        null => null,
        ISimObject o => o.Describe(),
        RuntimeThread t => t.Label,
        string s => s,
        _ => target.ToString(),
    };

    // An operation that produces a value (a spawn's child, a choice, a try-lock's outcome, a signal's waiter, an
    // atomic's value) sets it in the step that records it, under either engine, before any other step can be taken.
    private static string FormatOperation(in Entry e)
    {
        var arg = e.Arg.ToString(CultureInfo.InvariantCulture);
        var result = e.Result.ToString(CultureInfo.InvariantCulture);
        return e.Kind switch
        {
            OperationKind.Start => "start",
            OperationKind.Spawn => $"Start(T{result})",
            OperationKind.Join => "Join",
            OperationKind.Yield => "Yield",
            OperationKind.Choose => $"Choose({arg}) = {result}",
            OperationKind.WaitUntil => "WaitUntil",
            OperationKind.LockEnter => "Enter",
            OperationKind.LockTryEnter => e.Result != 0 ? "TryEnter = true" : "TryEnter = false",
            OperationKind.LockExit => "Exit",
            OperationKind.ConditionWait => "Wait (releases the lock)",
            OperationKind.ConditionReacquire => "wake up and re-acquire the lock after Wait",
            OperationKind.ConditionSignal => e.Result >= 0 ? $"Signal (wakes T{result})" : "Signal (no waiter)",
            OperationKind.ConditionBroadcast => $"Broadcast (wakes {result})",
            OperationKind.AtomicLoad => $"Load = {result}",
            OperationKind.AtomicStore => $"Store({arg})",
            OperationKind.AtomicAdd => $"Add({(e.Arg >= 0 ? "+" : "")}{arg}) = {result}",
            OperationKind.AtomicExchange => $"Exchange({arg}) was {result}",
            OperationKind.AtomicCompareExchange => $"CompareExchange(value {(int)e.Arg}, comparand {(int)(e.Arg >> 32)}) was {result}",
            OperationKind.VarRead => "Read",
            OperationKind.VarWrite => "Write",
            OperationKind.Custom => "",
            OperationKind.Fence => "smp_mb",
            _ => e.Kind.ToString(),
        };
    }
}
