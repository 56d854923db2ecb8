using System.CommandLine;
using System.Globalization;
using System.Xml.Linq;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Campaigns;

namespace HighMemConcurrency.Cli.Reports;

/// <summary>
/// <c>hmc test --junit FILE</c>: the run as JUnit XML, which CI systems read. One testcase per job; a testcase fails
/// exactly when the job makes the run exit 1 (a bug on the correct model or in a variant hunt; in the self-check, a
/// variant nobody found), and the failure carries the bug's message and the command that replays its trace.
/// </summary>
internal static class JunitReport
{
    public static Option<string?> Option() => new("--junit")
    {
        Description = "Also write the run as JUnit XML to FILE (one testcase per job; a failure carries the message and the replay command).",
        HelpName = "FILE",
    };

    public static XDocument Build(TestPlan plan, IReadOnlyList<JobOutcome> outcomes, TimeSpan elapsed)
    {
        var foundVariants = plan.Mode == TestMode.SelfCheck
            ? Verdict.SelfCheck(plan, outcomes).Where(v => v.Finding is not null).Select(v => v.Variant).ToHashSet()
            : [];
        var cases = outcomes.Select(o => Case(plan, o, foundVariants)).ToList();
        var failures = cases.Count(c => c.Element("failure") is not null);
        var skipped = cases.Count(c => c.Element("skipped") is not null);
        var suite = new XElement("testsuite",
            new XAttribute("name", $"hmc test ({Mode(plan.Mode)})"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", skipped),
            new XAttribute("time", Seconds(elapsed)),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XAttribute("name", "hmc test"), new XAttribute("tests", cases.Count), new XAttribute("failures", failures),
                new XAttribute("errors", 0), new XAttribute("skipped", skipped), new XAttribute("time", Seconds(elapsed)),
                suite));
    }

    /// <summary>Writes the report; a path that cannot be written is a usage error (the summary is already on disk).</summary>
    public static void Write(string path, XDocument report)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            using var writer = System.Xml.XmlWriter.Create(path,
                new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true });
            report.Save(writer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--junit: cannot write '{path}': {e.Message}");
        }
    }

    private static XElement Case(TestPlan plan, JobOutcome o, HashSet<string> foundVariants)
    {
        var job = o.Job;
        var element = new XElement("testcase",
            new XAttribute("name", job.Label),
            new XAttribute("classname", $"hmc.{Mode(plan.Mode)}.{job.Scenario.Name}"),
            new XAttribute("time", Seconds(o.Elapsed)));
        var result = Verdict.Result(o);
        if (job.Rejected is not null || o.Stop == JobStop.Canceled || o.Stop == JobStop.NotRun)
        {
            element.Add(new XElement("skipped", new XAttribute("message", result)));
            return element;
        }
        var failed = plan.Mode == TestMode.SelfCheck ? !foundVariants.Contains(job.Variant!.Name) : o.Bug is not null;
        if (failed)
        {
            var message = o.Bug is { } bug ? $"{bug.Kind}: {bug.Message}" : $"{job.Variant!.Name}: {result}, expected {job.Variant.ExpectedKind}";
            var replay = o.TracePath is { } trace ? TraceFileNamer.ReplayCommand(Consoles.DisplayPath(trace), job.Scenario) : null;
            element.Add(new XElement("failure",
                new XAttribute("message", replay is null ? message : $"{message} — replay: {replay}"),
                new XAttribute("type", o.Bug?.Kind.ToString() ?? "NotFound"),
                replay is null ? message : $"{message}\n\nreplay: {replay}\n\n{o.Bug!.Interleaving}"));
        }
        element.Add(new XElement("system-out",
            $"{result}; {o.Iterations.ToString(CultureInfo.InvariantCulture)} iterations, strategy {job.Strategy}" +
            (o.FindingSlice is { } s ? $", found by {s.Strategy} seed {s.Seed.ToString(CultureInfo.InvariantCulture)}" : "")));
        return element;
    }

    private static string Mode(TestMode mode) => mode switch
    {
        TestMode.SelfCheck => "self-check",
        TestMode.Variant => "variant",
        _ => "model",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
