using System.Text;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// The machine of one stress round and how the driver reads it: its counters (summed over rounds) and the state a
/// hang report shows. The defaults read the machine alone; a family with more state (pkmap) supplies its own.
/// </summary>
internal sealed class StressRound(Machine machine, Func<IReadOnlyDictionary<string, long>>? counters = null, Func<string>? describeHang = null)
{
    /// <summary>The round's machine.</summary>
    public Machine Machine { get; } = machine;

    /// <summary>The round's counters.</summary>
    public IReadOnlyDictionary<string, long> Counters() => counters?.Invoke() ?? Machine.Counters.Snapshot();

    /// <summary>Who is where, for a hang report.</summary>
    public string DescribeHang() => describeHang?.Invoke() ?? DescribeMachine();

    private string DescribeMachine()
    {
        var sb = new StringBuilder();
        foreach (var cpu in Machine.Cpus) sb.Append("  ").AppendLine(cpu.Describe());
        foreach (var t in Machine.Tasks)
            sb.AppendLine($"  task {t.Name} on CPU{t.Cpu.Id}: {(t.Finished ? "finished" : t.Asleep ? $"asleep ({t.WaitingOn ?? "?"})" : "running")}");
        return sb.ToString().TrimEnd();
    }
}
