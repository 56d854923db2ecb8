namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// SURW through the engine: the order of the accesses to the one shared object is uniform over its interleavings
/// (a plain random walk is not), accesses to objects only one thread touches do not disturb that, spins are not
/// starved by a pending draw, and it finds the textbook bugs and replays like every strategy.
/// </summary>
public sealed class SurwStrategyTests
{
    private const int Iterations = 6_000;

    // Two workers, two accesses each to the shared atomic x (and, with privateWork, a few accesses each to an object
    // only it touches, which no profile makes interesting): the order of the four x accesses is one of C(4,2) = 6.
    private static Dictionary<string, int> OrderCounts(string strategy, bool privateWork)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var report = SystematicTest.Run(() =>
        {
            var x = new SimAtomic(0, "x");
            var order = new System.Text.StringBuilder();
            void Worker(char name)
            {
                var own = new SimAtomic(0, $"own-{name}");
                for (var i = 0; i < 2; i++)
                {
                    if (privateWork) { own.Add(1); own.Add(1); }
                    x.Add(1);
                    order.Append(name);
                }
            }
            var a = Sim.Start("a", () => Worker('a'));
            var b = Sim.Start("b", () => Worker('b'));
            a.Join();
            b.Join();
            var key = order.ToString();
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }, new TestOptions { Strategy = strategy, Iterations = Iterations, Seed = 11, DetectDataRaces = false });
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.Equal(Iterations, report.IterationsRun);
        return counts;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_accesses_to_the_shared_object_come_in_uniformly_random_order(bool privateWork)
    {
        var counts = OrderCounts("surw", privateWork);
        Assert.Equal(6, counts.Count);
        // 1,000 expected each; the bounds are about 4.5 standard deviations wide (a fixed seed: the same counts every run).
        Assert.All(counts, c => Assert.InRange(c.Value, 860, 1140));
    }

    // The baseline the paper starts from: a walk that picks among the enabled threads uniformly favours the orders
    // with fewer switches, e.g. aabb, over the alternating ones.
    [Fact]
    public void A_uniform_choice_of_thread_is_not_uniform_over_the_orders()
    {
        var counts = OrderCounts("random", privateWork: false);
        Assert.True(counts["aabb"] > 1.2 * counts["abab"], $"aabb {counts["aabb"]}, abab {counts["abab"]}");
    }

    [Fact]
    public void A_spin_wait_on_the_shared_object_ends_although_a_draw_is_pending()
    {
        var report = SystematicTest.Run(() =>
        {
            var flag = new SimAtomic(0, "flag");
            var spinner = Sim.Start("spinner", () =>
            {
                while (flag.Load() == 0) Sim.Yield();
                flag.Store(2);
            });
            var setter = Sim.Start("setter", () => { flag.Store(1); flag.Load(); });
            spinner.Join();
            setter.Join();
        }, new TestOptions { Strategy = "surw", Iterations = 2_000, Seed = 4 });
        Assert.True(report.Bug is null, report.Bug?.Message);
        Assert.Equal(2_000, report.IterationsRun);
    }

    public static TheoryData<string> Textbook => new(["counter", "lost-wakeup", "lock-order", "atomicity"]);

    [Theory]
    [MemberData(nameof(Textbook))]
    public void It_finds_the_textbook_bugs_and_its_traces_replay(string program)
    {
        Action body = program switch
        {
            "counter" => TextbookPrograms.Counter(locked: false),
            "lost-wakeup" => TextbookPrograms.LostWakeup(fixedVersion: false),
            "lock-order" => TextbookPrograms.LockOrder(fixedVersion: false),
            _ => TextbookPrograms.AtomicityViolation(fixedVersion: false),
        };
        var report = SystematicTest.Run(body, new TestOptions { Strategy = "surw", Iterations = 5_000, Seed = 2, DetectDataRaces = false });
        var bug = Assert.IsType<BugReport>(report.Bug);
        var replayed = SystematicTest.Replay(body, bug.TraceJson, new TestOptions { FirstIteration = bug.Iteration, DetectDataRaces = false });
        Assert.Equal(bug.TraceJson, replayed.Bug!.TraceJson);
    }

    // A run that starts at a block boundary repeats the long run's iterations there: the profile is per block.
    [Fact]
    public void A_run_from_a_block_boundary_repeats_those_iterations_of_a_long_run()
    {
        static List<string> Orders(int first, int count)
        {
            var seen = new List<string>();
            SystematicTest.Run(() =>
            {
                var x = new SimAtomic(0, "x");
                var order = new System.Text.StringBuilder();
                var a = Sim.Start("a", () => { x.Add(1); order.Append('a'); x.Add(1); order.Append('a'); });
                var b = Sim.Start("b", () => { x.Add(1); order.Append('b'); x.Add(1); order.Append('b'); });
                a.Join();
                b.Join();
                seen.Add(order.ToString());
            }, new TestOptions { Strategy = "surw", Iterations = count, FirstIteration = first, Seed = 9 });
            return seen;
        }
        var block = SystematicTest.IterationBlock;
        Assert.Equal(Orders(1, block + 20).Skip(block), Orders(block + 1, 20));
    }
}
