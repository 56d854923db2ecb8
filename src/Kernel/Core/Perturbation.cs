using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// The model's scheduling points where a native stress run may perturb a task (delay it, hold it): the places
/// where the systematic engine would switch threads, which free-running threads otherwise pass too fast to meet.
/// </summary>
public enum PerturbationPoint
{
    /// <summary>Outside a lock, just before taking it (spin_lock, lock_page).</summary>
    BeforeLock,

    /// <summary>Inside a lock, just after taking it: a delay here is a long hold.</summary>
    LockAcquired,

    /// <summary>Inside a lock, just before releasing it.</summary>
    BeforeUnlock,

    /// <summary>Outside a lock, just after releasing it.</summary>
    AfterUnlock,

    /// <summary>Entering schedule() to sleep (state already set, not yet off the CPU).</summary>
    BeforeSchedule,

    /// <summary>Returning from schedule() after being woken, back on a CPU.</summary>
    AfterSchedule,

    /// <summary>Just before wake_up() walks its queue.</summary>
    BeforeWakeUp,

    /// <summary>Just after wake_up() returned.</summary>
    AfterWakeUp,
}

/// <summary>
/// What a native stress driver installs on a machine to perturb its tasks (<see cref="Machine.InstallPerturbation"/>).
/// Called on the task's own thread; implementations keep per-task state so that each task's decisions are its own.
/// Never called under the systematic engine, which owns every interleaving itself.
/// </summary>
public interface IPerturbation
{
    /// <summary><paramref name="task"/> passes <paramref name="point"/>: delay it, or return at once.</summary>
    void At(PerturbationPoint point, KernelTask task);

    /// <summary>The CPU (in [0, <paramref name="cpus"/>)) that <paramref name="task"/> resumes on, when the machine lets it migrate.</summary>
    int ChooseCpu(KernelTask task, int cpus);
}

public sealed partial class Machine
{
    private IPerturbation? _perturbation;

    /// <summary>The installed perturbation, or null (the default: nothing is delayed).</summary>
    public IPerturbation? Perturbation => _perturbation;

    /// <summary>
    /// Installs <paramref name="perturbation"/> before the machine's tasks start. Native runs only: under the
    /// systematic engine a perturbation would be a real delay inside a controlled step, so it is refused.
    /// </summary>
    public void InstallPerturbation(IPerturbation perturbation)
    {
        ArgumentNullException.ThrowIfNull(perturbation);
        if (Sim.IsControlled)
            throw new InvalidOperationException("perturbation is for native runs: the systematic engine schedules every interleaving itself");
        _perturbation = perturbation;
    }

    /// <summary>
    /// Lets the installed perturbation delay the calling task at <paramref name="point"/>. With none installed (every
    /// systematic run, and stress without perturbation) this is one field read.
    /// </summary>
    internal void Perturb(PerturbationPoint point)
    {
        if (_perturbation is { } perturbation && KernelTask.Current is { } task) perturbation.At(point, task);
    }
}
