using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Systematic.Tracing;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Tests.Unit;

public sealed class InterleavingViewTests
{
    private static string Render(IReadOnlyList<StepRecord> steps, bool verbose)
    {
        var writer = new StringWriter();
        Consoles.Create(writer, isTerminal: false).Write(InterleavingView.Build(steps, verbose));
        return writer.ToString();
    }

    private static StepRecord Step(int n, int thread, string op, string? target = null, params string[] notes) =>
        new(n, thread, thread == 0 ? "main" : $"cpu{thread - 1}", op, target, notes);

    [Fact]
    public void Each_step_is_in_its_threads_column_with_its_notes_below()
    {
        var text = Render(
        [
            Step(1, 1, "spin_lock", "kmap_lock"),
            Step(2, 2, "Add(-1) = 1", "atomic 'pkmap_count[3]'", "pkmap_count[3]: 2→1"),
            Step(3, 1, "wake_up", "pkmap_map_wait"),
        ], verbose: false);
        var lines = text.Split('\n');
        var header = lines.First(l => l.Contains("step"));
        int Column(string s) => header.IndexOf(s, StringComparison.Ordinal);
        var row = (string s) => lines.First(l => l.Contains(s, StringComparison.Ordinal));

        Assert.Equal(Column("T1 cpu0"), row("spin_lock kmap_lock").IndexOf("spin_lock", StringComparison.Ordinal));
        Assert.Equal(Column("T2 cpu1"), row("Add(-1)").IndexOf("Add(-1)", StringComparison.Ordinal));
        Assert.Equal(Column("T2 cpu1"), row("pkmap_count[3]: 2→1").IndexOf("pkmap_count[3]: 2→1", StringComparison.Ordinal));
        Assert.True(text.IndexOf("spin_lock", StringComparison.Ordinal) < text.IndexOf("wake_up", StringComparison.Ordinal));
    }

    [Fact]
    public void Markup_characters_in_the_model_s_text_are_shown_literally()
    {
        var text = Render([Step(1, 1, "kmap", "page[7]", "[bold]not markup[/]")], verbose: false);
        Assert.Contains("kmap page[7]", text);
        Assert.Contains("[bold]not markup[/]", text);
    }

    [Fact]
    public void Long_interleavings_say_how_many_steps_are_hidden_and_verbose_shows_all()
    {
        var steps = Enumerable.Range(1, 400).Select(i => Step(i, 1 + i % 2, $"op{i}")).ToList();
        var brief = Render(steps, verbose: false);
        var hidden = 400 - InterleavingView.HeadSteps - InterleavingView.TailSteps;
        Assert.Contains($"{hidden} steps not shown (--verbose shows every step)", brief);
        Assert.Matches(@"\bop1\b", brief);
        Assert.Matches(@"\bop400\b", brief);
        Assert.DoesNotMatch(@"\bop100\b", brief);

        var full = Render(steps, verbose: true);
        Assert.DoesNotContain("not shown", full);
        Assert.All(Enumerable.Range(1, 400), i => Assert.Matches($@"\bop{i}\b", full));
    }
}
