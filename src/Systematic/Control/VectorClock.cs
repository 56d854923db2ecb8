namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// A vector clock over the threads of one execution (Lamport/Fidge/Mattern). Component t counts the
/// synchronisation epochs of thread t; a ≤ b component-wise means a happens-before b.
/// </summary>
internal sealed class VectorClock
{
    private int[] _c;

    public VectorClock(int size = 4) => _c = new int[Math.Max(size, 1)];

    public int this[int thread] => thread < _c.Length ? _c[thread] : 0;

    public void Increment(int thread)
    {
        Ensure(thread);
        _c[thread]++;
    }

    public void Set(int thread, int value)
    {
        Ensure(thread);
        _c[thread] = value;
    }

    /// <summary>this := max(this, other), component-wise (an acquire).</summary>
    public void Join(VectorClock other)
    {
        // Stryker disable once Equality : resizing to the same length changes nothing
        if (other._c.Length > _c.Length) Array.Resize(ref _c, other._c.Length);
        for (var i = 0; i < other._c.Length; i++)
            // Stryker disable once Equality : on a tie both sides hold the same value
            if (other._c[i] > _c[i]) _c[i] = other._c[i];
    }

    /// <summary>this := other (a release stores the releaser's clock).</summary>
    public void CopyFrom(VectorClock other)
    {
        // Stryker disable once Equality : resizing to the same length changes nothing
        if (other._c.Length > _c.Length) Array.Resize(ref _c, other._c.Length);
        Array.Copy(other._c, _c, other._c.Length);
        Array.Clear(_c, other._c.Length, _c.Length - other._c.Length);
    }

    public void Clear() => Array.Clear(_c);

    public VectorClock Clone()
    {
        var v = new VectorClock(_c.Length);
        Array.Copy(_c, v._c, _c.Length);
        return v;
    }

    private void Ensure(int thread)
    {
        // Stryker disable once Arithmetic : how much a clock grows beyond thread + 1 is a speed choice
        if (thread >= _c.Length) Array.Resize(ref _c, Math.Max(thread + 1, _c.Length * 2));
    }
}
