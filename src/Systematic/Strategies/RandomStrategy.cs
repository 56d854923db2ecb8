namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>Uniform random choice among the enabled threads at every scheduling point.</summary>
internal sealed class RandomStrategy(ulong seed) : IExplorationStrategy
{
    private SplitMix64 _rng;

    public string Name => "random";

    public bool InitializeIteration(int iteration)
    {
        _rng = new SplitMix64(seed, iteration);
        return true;
    }

    public void OnThreadCreated(int threadId) { }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step) =>
        enabled.Length == 1 ? enabled[0] : enabled[_rng.Next(enabled.Length)];

    public int NextChoice(int count, int step) => _rng.Next(count);

    public void CompleteIteration(int steps) { }
}
