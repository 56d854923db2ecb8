using System.Globalization;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>Number formats shared by tables and progress lines (invariant: logs compare across machines).</summary>
internal static class Numbers
{
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) =>
        perSecond >= 100 ? perSecond.ToString("N0", CultureInfo.InvariantCulture) : perSecond.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Nanoseconds as ns / µs / ms / s.</summary>
    public static string Nanoseconds(double ns) => ns switch
    {
        < 1_000 => ns.ToString("0", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => (ns / 1_000).ToString("0.0", CultureInfo.InvariantCulture) + " µs",
        < 1_000_000_000 => (ns / 1_000_000).ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        _ => (ns / 1_000_000_000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };
}
