namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator whose output depends only on the seed, so the
/// same (seed, iteration) gives the same schedule in every process and on every runtime.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed, int iteration) =>
        _state = seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)iteration * 0xD1B54A32D192ED03UL) ^ 0x2545F4914F6CDD1DUL;

    private SplitMix64(ulong state) => _state = state;

    /// <summary>The generator with raw state <paramref name="state"/>, as in the reference code (for its test vectors).</summary>
    public static SplitMix64 FromState(ulong state) => new(state);

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = XorShift(z, 30) * 0xBF58476D1CE4E5B9UL;
        z = XorShift(z, 27) * 0x94D049BB133111EBUL;
        return XorShift(z, 31);
    }

    // Stryker disable once Bitwise : on a ulong, >> is already the logical shift, so >>> is the same operator
    private static ulong XorShift(ulong z, int n) => z ^ (z >> n);

    /// <summary>A uniform value in [0, n) (Lemire's multiply-shift; the bias for small n is negligible).</summary>
    // Stryker disable once Bitwise : on a ulong, >> is already the logical shift, so >>> is the same operator
    public int Next(int n) => (int)(((NextUInt64() >> 32) * (ulong)(uint)n) >> 32);
}
