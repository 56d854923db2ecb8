using System.Globalization;
using HighMemConcurrency.Systematic.Tracing;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>
/// An interleaving as one column per thread (simulated CPU or task), time going down: each row is one step, in the
/// column of the thread that ran it, showing its operation and object and, below them, what the model noted
/// (e.g. <c>pkmap_count[3]: 2→1</c>).
/// </summary>
internal static class InterleavingView
{
    /// <summary>Without <c>--verbose</c>, longer interleavings show their start and their end (where bugs are).</summary>
    public const int HeadSteps = 30;

    /// <summary>Steps kept at the end.</summary>
    public const int TailSteps = 120;

    public static Table Build(IReadOnlyList<StepRecord> steps, bool verbose)
    {
        var threads = steps.GroupBy(s => s.ThreadId).OrderBy(g => g.Key)
            .Select(g => (Id: g.Key, Name: g.First().ThreadName)).ToList();
        var column = threads.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i + 1);
        var table = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("step").RightAligned());
        foreach (var (id, name) in threads) table.AddColumn(new TableColumn(Markup.Escape($"T{id} {name}")));

        foreach (var item in Select(steps, verbose))
        {
            var cells = Enumerable.Repeat("", threads.Count + 1).ToArray();
            if (item.Hidden > 0)
            {
                cells[0] = "[grey]…[/]";
                cells[1] = $"[grey]{item.Hidden} steps not shown (--verbose shows every step)[/]";
            }
            else
            {
                var s = item.Step!;
                cells[0] = s.Step.ToString(CultureInfo.InvariantCulture);
                cells[column[s.ThreadId]] = Cell(s);
            }
            table.AddRow(cells);
        }
        return table;
    }

    /// <summary>The operation and its object (the engine's own wording), then the model's notes one per line.</summary>
    public static string Cell(StepRecord step)
    {
        var text = Markup.Escape(step.Target is null ? step.Operation : $"{step.Operation} {step.Target}");
        foreach (var note in step.Notes) text += $"\n[grey]{Markup.Escape(note)}[/]";
        return text;
    }

    private static IEnumerable<(StepRecord? Step, int Hidden)> Select(IReadOnlyList<StepRecord> steps, bool verbose)
    {
        if (verbose || steps.Count <= HeadSteps + TailSteps + 1)
        {
            foreach (var s in steps) yield return (s, 0);
            yield break;
        }
        for (var i = 0; i < HeadSteps; i++) yield return (steps[i], 0);
        yield return (null, steps.Count - HeadSteps - TailSteps);
        for (var i = steps.Count - TailSteps; i < steps.Count; i++) yield return (steps[i], 0);
    }
}
