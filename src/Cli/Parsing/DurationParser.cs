using System.Globalization;
using System.Text.RegularExpressions;

namespace HighMemConcurrency.Cli.Parsing;

/// <summary>
/// Reads durations the way people type them: <c>90</c> (seconds), <c>90s</c>, <c>500ms</c>, <c>2m</c>, <c>1m30s</c>,
/// <c>1h</c>, or a .NET time span <c>00:01:30</c>.
/// </summary>
internal static partial class DurationParser
{
    [GeneratedRegex(@"^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m(?!s))?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+)ms)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Units();

    /// <summary>The longest duration any option takes: a day. Longer runs belong to a campaign of shorter ones.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromHours(24);

    /// <summary>
    /// Parses <paramref name="text"/>; false when it is not a positive duration (or too large for a TimeSpan). With
    /// <paramref name="allowZero"/>, zero (<c>0</c>, <c>0s</c>) is accepted too: the value that turns an option off.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration, bool allowZero = false)
    {
        try
        {
            return TryParseUnchecked(text, out duration, allowZero);
        }
        catch (OverflowException)
        {
            duration = TimeSpan.MaxValue;
            return true;
        }
    }

    private static bool TryParseUnchecked(string? text, out TimeSpan duration, bool allowZero)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
        }
        else if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration)) return false;
        }
        else
        {
            var match = Units().Match(text);
            if (!match.Success) return false;
            duration = TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "m")) +
                       TimeSpan.FromSeconds(Number(match, "s")) + TimeSpan.FromMilliseconds(Number(match, "ms"));
        }
        return duration > TimeSpan.Zero || (allowZero && duration == TimeSpan.Zero);
    }

    /// <summary>Short human form: <c>750ms</c>, <c>12.5s</c>, <c>2m05s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1)) return $"{duration.TotalMilliseconds:0}ms".ToString(CultureInfo.InvariantCulture);
        if (duration < TimeSpan.FromMinutes(1)) return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#}s");
        if (duration < TimeSpan.FromHours(1)) return string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s");
        return string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h{duration.Minutes:00}m");
    }

    private static double Number(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
}
