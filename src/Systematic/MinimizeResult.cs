namespace HighMemConcurrency.Systematic;

/// <summary>What <see cref="SystematicTest.Minimize"/> started from and what it found.</summary>
public sealed class MinimizeResult
{
    internal MinimizeResult(BugReport original, int originalPreemptions, BugReport minimized, int preemptions, int candidates, int reproduced)
    {
        Original = original;
        OriginalPreemptions = originalPreemptions;
        Minimized = minimized;
        Preemptions = preemptions;
        CandidatesTried = candidates;
        CandidatesReproduced = reproduced;
    }

    /// <summary>The bug as the input trace reproduces it.</summary>
    public BugReport Original { get; }

    /// <summary>Preemptions of the input trace.</summary>
    public int OriginalPreemptions { get; }

    /// <summary>Steps of the input trace up to the bug.</summary>
    public int OriginalSteps => Original.Steps.Count;

    /// <summary>The smallest reproduction found (the original when nothing smaller was); its trace is a normal trace.</summary>
    public BugReport Minimized { get; }

    /// <summary>Preemptions of <see cref="Minimized"/>.</summary>
    public int Preemptions { get; }

    /// <summary>Steps of <see cref="Minimized"/> up to the bug.</summary>
    public int Steps => Minimized.Steps.Count;

    /// <summary>Candidate schedules with the same bug that were replayed to check them.</summary>
    public int CandidatesTried { get; }

    /// <summary>Candidates whose replay reproduced the bug.</summary>
    public int CandidatesReproduced { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Original.Kind}: {OriginalPreemptions} preemptions, {OriginalSteps} steps → {Preemptions} preemptions, {Steps} steps";
}
