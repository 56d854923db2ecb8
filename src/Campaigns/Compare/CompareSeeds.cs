using HighMemConcurrency.Systematic.Strategies;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The seeds of a comparison, spread far apart from one base seed. Coyote adds one to its seed every iteration, so
/// consecutive seeds would explore shifted copies of one random sequence; the engine's SplitMix64 generator, started
/// from the base seed, places them uncorrelated across the 32 bits Coyote keeps.
/// </summary>
public static class CompareSeeds
{
    /// <summary><paramref name="count"/> distinct 32-bit seeds derived from <paramref name="baseSeed"/>; the same base, the same seeds.</summary>
    public static IReadOnlyList<ulong> Spread(ulong baseSeed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var seeds = new List<ulong>(count);
        var generator = SplitMix64.FromState(baseSeed);
        while (seeds.Count < count)
        {
            // Both engines take the seed as given (Coyote folds a 64-bit seed to 32 bits): keep it 32-bit and non-zero
            // so that the two engines are handed the very same number.
            var seed = generator.NextUInt64() & 0xFFFF_FFFF;
            if (seed != 0 && !seeds.Contains(seed)) seeds.Add(seed);
        }
        return seeds;
    }
}
