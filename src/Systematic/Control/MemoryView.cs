namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// A view of memory under <see cref="MemoryModel.Arm"/> (the "view" of the promising semantics, Kang, Hur, Lahav,
/// Vafeiadis, Dreyer, POPL 2017): for each location (by its slot), the position in that location's modification order
/// of the oldest store the holder may still read. Views only grow: reading, synchronising and barriers join them.
/// </summary>
internal sealed class MemoryView
{
    private int[] _at = [];

    /// <summary>The position for <paramref name="slot"/> (0, the location's first value, when never raised).</summary>
    public int this[int slot] => slot < _at.Length ? _at[slot] : 0;

    /// <summary>Raises the position for <paramref name="slot"/> to at least <paramref name="position"/>.</summary>
    public void Raise(int slot, int position)
    {
        if (slot >= _at.Length) Array.Resize(ref _at, Math.Max(slot + 1, _at.Length * 2));
        if (position > _at[slot]) _at[slot] = position;
    }

    /// <summary>Raises every position to at least <paramref name="other"/>'s (nothing when null).</summary>
    public void Join(MemoryView? other)
    {
        if (other is null) return;
        if (other._at.Length > _at.Length) Array.Resize(ref _at, other._at.Length);
        for (var i = 0; i < other._at.Length; i++)
            if (other._at[i] > _at[i]) _at[i] = other._at[i];
    }

    /// <summary>A copy that no later change of this view reaches.</summary>
    public MemoryView Clone() => new() { _at = (int[])_at.Clone() };
}
