using System.Globalization;
using HighMemConcurrency.Systematic.Tracing;
using Spectre.Console;
using Spectre.Console.Rendering;

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

    /// <summary>
    /// The table for a console <paramref name="width"/> wide (null: let the table size itself). When the threads'
    /// text does not fit, each column gets at least its longest word, so an identifier such as
    /// <c>'page_address_htable[2].lock'</c> is never cut in two, and the rest of the width in proportion to its text;
    /// a console narrower than <see cref="MinimumWidth"/> makes the table that wide instead.
    /// </summary>
    public static Table Build(IReadOnlyList<StepRecord> steps, bool verbose, int? width = null)
    {
        var threads = steps.GroupBy(s => s.ThreadId).OrderBy(g => g.Key)
            .Select(g => (Id: g.Key, Name: g.First().ThreadName)).ToList();
        var column = threads.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i + 1);
        var shown = Select(steps, verbose).ToList();
        var widths = width is { } w ? Widths(threads.Select(t => t.Id).ToList(), shown, w) : null;
        var table = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("step").RightAligned());
        for (var i = 0; i < threads.Count; i++)
        {
            var header = new TableColumn(Markup.Escape($"T{threads[i].Id} {threads[i].Name}"));
            if (widths is not null) header.Width = widths[i];
            table.AddColumn(header);
        }

        foreach (var item in shown)
        {
            var cells = Enumerable.Repeat<IRenderable>(Text.Empty, threads.Count + 1).ToArray();
            if (item.Hidden > 0)
            {
                cells[0] = new Markup("[grey]…[/]");
                cells[1] = new Markup($"[grey]{item.Hidden} steps not shown (--verbose shows every step)[/]");
            }
            else
            {
                var s = item.Step!;
                cells[0] = new Text(s.Step.ToString(CultureInfo.InvariantCulture));
                cells[column[s.ThreadId]] = Cell(s);
            }
            table.AddRow(cells);
        }
        return table;
    }

    /// <summary>
    /// Writes the table on <paramref name="console"/>, widening it (beyond the terminal or <c>COLUMNS</c>) only when
    /// a column would otherwise cut an identifier in two.
    /// </summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<StepRecord> steps, bool verbose)
    {
        var minimum = MinimumWidth(steps, verbose);
        if (console.Profile.Width < minimum) console.Profile.Width = minimum;
        console.Write(Build(steps, verbose, console.Profile.Width));
    }

    /// <summary>The narrowest console at which no column has to cut a word.</summary>
    public static int MinimumWidth(IReadOnlyList<StepRecord> steps, bool verbose)
    {
        var (words, _) = Measure(steps.Select(s => s.ThreadId).Distinct().Order().ToList(), Select(steps, verbose).ToList());
        return Overhead(steps.Count, words.Length) + words.Sum();
    }

    // Each column has a space of padding on either side and a separator; the step column holds the widest step
    // number; the border adds one on either edge.
    private static int Overhead(int steps, int threads) =>
        Math.Max(4, steps.ToString(CultureInfo.InvariantCulture).Length) + 3 + threads * 3 + 2;

    private static int[]? Widths(IReadOnlyList<int> threads, IReadOnlyList<(StepRecord? Step, int Hidden)> shown, int width)
    {
        var (words, lines) = Measure(threads, shown);
        var available = width - Overhead(shown.Count == 0 ? 0 : shown.Max(s => s.Step?.Step ?? 0), threads.Count);
        if (lines.Sum() <= available) return null;
        var spare = Math.Max(0, available - words.Sum());
        var want = lines.Select((l, i) => l - words[i]).ToArray();
        var wanted = Math.Max(1, want.Sum());
        return words.Select((w, i) => w + (int)((long)spare * want[i] / wanted)).ToArray();
    }

    /// <summary>Per thread column: its longest word and its longest line (header included).</summary>
    private static (int[] Words, int[] Lines) Measure(IReadOnlyList<int> threads, IReadOnlyList<(StepRecord? Step, int Hidden)> shown)
    {
        var index = threads.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var words = new int[threads.Count];
        var lines = new int[threads.Count];
        foreach (var item in shown)
        {
            if (item.Step is not { } s) continue;
            var i = index[s.ThreadId];
            foreach (var line in CellLines(s))
            {
                lines[i] = Math.Max(lines[i], line.Length);
                foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries)) words[i] = Math.Max(words[i], word.Length);
            }
        }
        var firstHidden = shown.Any(s => s.Hidden > 0);
        for (var i = 0; i < threads.Count; i++)
        {
            // Headers ("T3 kmapd/2") and the first column's "(--verbose" note count as words too.
            words[i] = Math.Max(words[i], Math.Max($"T{threads[i]}".Length, i == 0 && firstHidden ? "(--verbose".Length : 1));
            lines[i] = Math.Max(lines[i], words[i]);
        }
        return (words, lines);
    }

    private static IEnumerable<string> CellLines(StepRecord step) =>
        step.Notes.Prepend(step.Target is null ? step.Operation : $"{step.Operation} {step.Target}");

    /// <summary>The operation and its object (the engine's own wording), then the model's notes one per line.</summary>
    public static IRenderable Cell(StepRecord step)
    {
        // Plain text, not markup: Spectre splits markup at every escaped bracket and may wrap there, which would cut
        // 'page_address_htable[2].lock' after its '['. A paragraph wraps only at spaces.
        var cell = new Paragraph(step.Target is null ? step.Operation : $"{step.Operation} {step.Target}");
        foreach (var note in step.Notes) cell.Append("\n" + note, new Style(Color.Grey));
        return cell;
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
