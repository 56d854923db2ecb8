namespace HighMemConcurrency.Cli.Compare;

/// <summary>
/// The seeds of a comparison, spread far apart from one base seed. Coyote adds one to its seed every iteration, so
/// consecutive seeds would explore shifted copies of one random sequence; a SplitMix64 step per seed (a fixed
/// odd increment, then an avalanche mix) places them uncorrelated across the 32 bits Coyote keeps.
/// </summary>
internal static class CompareSeeds
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary><paramref name="count"/> distinct 32-bit seeds derived from <paramref name="baseSeed"/>; the same base, the same seeds.</summary>
    public static IReadOnlyList<ulong> Spread(ulong baseSeed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var seeds = new List<ulong>(count);
        var state = baseSeed;
        while (seeds.Count < count)
        {
            state = unchecked(state + Gamma);
            // Both engines take the seed as given (Coyote folds a 64-bit seed to 32 bits): keep it 32-bit and non-zero
            // so that the two engines are handed the very same number.
            var seed = Mix(state) & 0xFFFF_FFFF;
            if (seed != 0 && !seeds.Contains(seed)) seeds.Add(seed);
        }
        return seeds;
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
