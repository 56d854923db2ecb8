namespace HighMemConcurrency.Systematic.Tests;

/// <summary>The example in README.md does what the README says.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_FindsTheRace_AndReplaysIt()
    {
        Action body = () =>
        {
            var l = new SimLock("A");
            var counter = new SimVar<int>(0, "counter");
            var t = Sim.Start("worker", () => { l.Enter(); counter.Write(counter.Read() + 1); l.Exit(); });
            counter.Write(counter.Read() + 1);
            t.Join();
        };
        var report = SystematicTest.Run(body, new TestOptions { Strategy = "pct", Iterations = 1000, Seed = 1 });
        Assert.Equal(BugKind.DataRace, report.Bug?.Kind);
        Assert.StartsWith("data race on var 'counter'", report.Bug!.Message);
        Assert.StartsWith("pct seed 1: ", report.ToString());

        var again = SystematicTest.Replay(body, report.Bug.TraceJson);
        Assert.Equal(report.Bug.Message, again.Bug?.Message);
        Assert.Equal(report.Bug.Interleaving, again.Bug!.Interleaving);
    }
}
