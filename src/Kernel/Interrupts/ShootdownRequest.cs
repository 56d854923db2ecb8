namespace HighMemConcurrency.Kernel;

/// <summary>
/// One <c>flush_tlb_kernel_range</c> sent by IPI: the range, and which target CPUs still owe an acknowledgement
/// (they acknowledge by running the IPI handler, which they can only do with IRQs enabled).
/// </summary>
internal sealed class ShootdownRequest
{
    private readonly int[] _pending;   // per CPU: 1 while its acknowledgement is owed
    private int _remaining;

    public ShootdownRequest(int initiator, long startVpn, long endVpn, IEnumerable<int> targets, int cpus)
    {
        Initiator = initiator;
        StartVpn = startVpn;
        EndVpn = endVpn;
        _pending = new int[cpus];
        foreach (var t in targets)
        {
            _pending[t] = 1;
            _remaining++;
        }
    }

    public int Initiator { get; }
    public long StartVpn { get; }
    public long EndVpn { get; }

    public bool Complete => Volatile.Read(ref _remaining) == 0;

    public IEnumerable<int> PendingTargets()
    {
        for (var c = 0; c < _pending.Length; c++)
            if (Volatile.Read(ref _pending[c]) != 0) yield return c;
    }

    /// <summary>Records that <paramref name="cpu"/> ran the handler; a second acknowledgement is ignored.</summary>
    public void Acknowledge(int cpu)
    {
        if (Interlocked.Exchange(ref _pending[cpu], 0) == 1) Interlocked.Decrement(ref _remaining);
    }
}
