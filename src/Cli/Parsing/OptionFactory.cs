using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace HighMemConcurrency.Cli.Parsing;

/// <summary>
/// Builds options whose bad values produce one readable line (the library's default names CLR types such as
/// <c>System.Nullable`1[System.Int32]</c>).
/// </summary>
internal static class OptionFactory
{
    /// <summary>An optional integer in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int?> Integer(string name, string description, int minimum = 1, string? helpName = "N", int maximum = int.MaxValue) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= minimum && n <= maximum) return n;
                result.AddError(maximum == int.MaxValue
                    ? $"{name} expects an integer ≥ {minimum}, got '{text}'"
                    : $"{name} expects an integer from {minimum} to {maximum}, got '{text}'");
                return null;
            },
        };

    /// <summary>An optional unsigned 64-bit seed.</summary>
    public static Option<ulong?> Seed(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
                result.AddError($"{name} expects an unsigned 64-bit integer, got '{text}'");
                return null;
            },
        };

    /// <summary>An optional positive duration (<see cref="DurationParser"/>); with <paramref name="allowZero"/>, 0 as well (off).</summary>
    public static Option<TimeSpan?> Duration(string name, string description, bool allowZero = false) =>
        new(name)
        {
            Description = $"{description} At most {DurationParser.Format(DurationParser.Maximum)}.",
            HelpName = "T",
            CustomParser = result => ParseDuration(result, name, allowZero),
        };

    private static TimeSpan? ParseDuration(ArgumentResult result, string name, bool allowZero)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var duration, allowZero))
        {
            if (duration <= DurationParser.Maximum) return duration;
            result.AddError($"{name} is at most {DurationParser.Format(DurationParser.Maximum)}, got '{text}'");
            return null;
        }
        result.AddError($"{name} expects a {(allowZero ? "duration (0 turns it off)" : "positive duration")} such as 30s, 500ms, 2m or 1m30s, got '{text}'");
        return null;
    }

    /// <summary>A name option checked against <paramref name="validNames"/>; the error lists them.</summary>
    public static Option<string?> Name(string name, string kind, string description, Func<IReadOnlyList<string>> validNames)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = kind.ToUpperInvariant() };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is null) return;
            var valid = validNames();
            if (!valid.Contains(value, StringComparer.Ordinal))
                result.AddError($"unknown {kind} '{value}' (valid: {(valid.Count == 0 ? "(none defined)" : string.Join(", ", valid))})");
        });
        return option;
    }
}
