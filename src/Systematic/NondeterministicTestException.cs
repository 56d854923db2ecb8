namespace HighMemConcurrency.Systematic;

/// <summary>
/// The test did not repeat itself under DFS: the same decisions led to a different state. Systematic testing
/// requires every source of nondeterminism to go through the engine (<see cref="Sim.Choose"/>, the primitives).
/// </summary>
public sealed class NondeterministicTestException(int step, string expected)
    : Exception($"the test is not deterministic: at step {step} replaying the same decisions did not reach {expected} " +
                "with the same options; route every nondeterministic input through Sim.Choose");
