using HighMemConcurrency.Cli.Tests.EndToEnd;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// The Slurm scripts of docs/scale-out.md, read from docs/scale-out/ (copied next to the tests), written into a
/// job directory with only what a test must change: where hmc is, the campaign's budget and the array's index
/// range. The results directory stays the documented relative one, under the directory the jobs are submitted from.
/// </summary>
internal static class DocumentedScripts
{
    public static readonly string[] Files = ["campaign.sbatch", "merge.sbatch", "submit.sh"];

    /// <summary>The documented campaign, replaced by the test's budget.</summary>
    public const string DocumentedBudget = "--variant all --seed 42 --iterations 100000";

    private const string DocumentedDll = "/opt/hmc/HighMemConcurrency.Cli.dll";
    private const string DocumentedSubmit = "sbatch --parsable campaign.sbatch";

    private static string Source => Path.Combine(AppContext.BaseDirectory, "Cluster", "scale-out");

    /// <summary>
    /// Writes the three files into <paramref name="directory"/>: the campaign as <paramref name="budget"/> and the
    /// array as <paramref name="array"/> (given to sbatch, which overrides the script's own #SBATCH --array).
    /// </summary>
    public static void WriteTo(string directory, string budget, string array)
    {
        var guide = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cluster", "scale-out.md"));
        var replaced = new HashSet<string>();
        foreach (var name in Files)
        {
            var text = File.ReadAllText(Path.Combine(Source, name));
            // One source: the guide shows each file as it is, so what users copy is what this test submits.
            Assert.True(guide.Contains(text, StringComparison.Ordinal), $"docs/scale-out.md does not show docs/scale-out/{name} verbatim");
            text = Replace(text, DocumentedDll, HmcProcess.CliDll, replaced);
            text = Replace(text, DocumentedBudget, budget, replaced);
            text = Replace(text, DocumentedSubmit, $"sbatch --parsable --array={array} campaign.sbatch", replaced);
            File.WriteAllText(Path.Combine(directory, name), text);
        }
        // A guide edited without this test would otherwise run, say, the documented 100,000 iterations per job.
        foreach (var documented in new[] { DocumentedDll, DocumentedBudget, DocumentedSubmit })
            Assert.True(replaced.Contains(documented), $"the scripts in docs/scale-out/ no longer contain '{documented}'");
    }

    private static string Replace(string text, string documented, string value, HashSet<string> replaced)
    {
        if (!text.Contains(documented, StringComparison.Ordinal)) return text;
        replaced.Add(documented);
        return text.Replace(documented, value, StringComparison.Ordinal);
    }
}
