using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using HighMemConcurrency.Cli.Tests.Browser;
using HighMemConcurrency.Cli.Tests.EndToEnd;

namespace HighMemConcurrency.Cli.Tests.Reports;

/// <summary><c>hmc test --junit FILE</c>, validated against the JUnit schema shipped with these tests.</summary>
public sealed class JunitReportTests(TimelineRun run) : IClassFixture<TimelineRun>
{
    [Fact]
    public async Task The_junit_file_is_valid_has_one_testcase_per_job_and_its_failure_replays()
    {
        Assert.True(run.Found.ExitCode == ExitCodes.BugFound, run.Found.ToString());
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Reports", "junit.xsd"));
        var errors = new List<string>();
        var document = XDocument.Load(run.JunitPath);
        document.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        Assert.Empty(errors);

        // --scenario few-slots --variant wake-on-zero is one job; it found the lost wakeup, so it is a failure.
        var testcase = Assert.Single(document.Descendants("testcase"));
        Assert.Equal("few-slots + wake-on-zero", testcase.Attribute("name")!.Value);
        var failure = testcase.Element("failure")!;
        Assert.Equal("Deadlock", failure.Attribute("type")!.Value);
        Assert.Contains("lost wakeup", failure.Attribute("message")!.Value);
        var replay = failure.Attribute("message")!.Value.Split(" — replay: hmc replay ")[1];
        var replayed = await HmcProcess.Run(run.Directory.Path, "replay", replay);
        Assert.True(replayed.ExitCode == ExitCodes.BugFound, replayed.ToString());
        Assert.Contains("Reproduced Deadlock", replayed.Out);
    }

    [Fact]
    public void A_file_that_breaks_the_schema_is_rejected_by_it()
    {
        // The check is only worth something if it can fail: a testcase without its classname must not pass.
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Reports", "junit.xsd"));
        var bad = XDocument.Parse("<testsuites><testsuite name='s' tests='1'><testcase name='x'/></testsuite></testsuites>");
        Assert.Throws<XmlSchemaValidationException>(() => bad.Validate(schemas, null));
    }
}
