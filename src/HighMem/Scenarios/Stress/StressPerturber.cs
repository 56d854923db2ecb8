using System.Collections.Concurrent;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// The perturbation of one stress round, installed on its machine: each task draws from its own
/// <see cref="PerturbationStream"/> at the kernel's perturbation points and is delayed (a busy spin) or held (a sleep)
/// as it says; a task resuming on a machine that allows migration gets its CPU from the same stream. Delays and holds
/// are counted in the machine's counters (<c>perturb.delays</c>, <c>perturb.holds</c>). In a free phase of the round
/// (<see cref="PerturbationPhases"/>) a decision is drawn and dropped.
/// </summary>
internal sealed class StressPerturber : IPerturbation
{
    private readonly StressPerturbation _options;
    private readonly ulong _seed;
    private readonly long _round;
    private readonly Machine _machine;
    private readonly PerturbationPhases _phases;
    private readonly PerturbationStream?[] _streams;
    private readonly ConcurrentDictionary<int, PerturbationStream> _extraStreams = new();   // tasks beyond those sized for

    /// <summary>
    /// The perturbation of round <paramref name="round"/> of a run seeded <paramref name="seed"/> on
    /// <paramref name="machine"/> with <paramref name="tasks"/> tasks, in the round's <paramref name="phases"/>.
    /// </summary>
    public StressPerturber(StressPerturbation options, ulong seed, long round, Machine machine, int tasks, PerturbationPhases phases)
    {
        _phases = phases;
        _options = options;
        _seed = seed;
        _round = round;
        _machine = machine;
        _streams = new PerturbationStream?[tasks];
    }

    /// <inheritdoc />
    public void At(PerturbationPoint point, KernelTask task)
    {
        if (!_options.Delays) return;
        var decision = Stream(task).Next(point);
        if (decision.Action == PerturbationAction.None || _phases.Free) return;
        switch (decision.Action)
        {
            case PerturbationAction.Delay:
                _machine.Counters.Add("perturb.delays");
                Thread.SpinWait(decision.Amount);
                break;
            case PerturbationAction.Hold:
                _machine.Counters.Add("perturb.holds");
                Thread.Sleep(decision.Amount);
                break;
        }
    }

    /// <inheritdoc />
    public int ChooseCpu(KernelTask task, int cpus) => Stream(task).NextInt(cpus);

    // Each task's stream is made by, and only ever used on, that task's own thread.
    private PerturbationStream Stream(KernelTask task)
    {
        var i = task.Index;
        if (i >= _streams.Length) return _extraStreams.GetOrAdd(i, index => new PerturbationStream(_options, _seed, _round, index));
        return _streams[i] ??= new PerturbationStream(_options, _seed, _round, i);
    }
}
