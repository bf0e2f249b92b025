using System.Globalization;
using System.Text.RegularExpressions;

namespace Podwake.Specs;

/// <summary>Durations as written in service files: one or more <c>NUMBER UNIT</c> with units ms, s, m, h (<c>1m30s</c>).</summary>
internal static partial class Duration
{
    public const string Units = "ms, s, m or h";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong (without the key).</summary>
    /// <param name="alternatives">Other accepted words for the "use ..." advice, e.g. <c> or "never"</c>.</param>
    public static bool TryParse(string text, out TimeSpan value, out string problem, string alternatives = "")
    {
        value = TimeSpan.Zero;
        if (BareNumber().IsMatch(text))
        {
            problem = $"\"{text}\" has no unit; add one of {Units} (e.g. {text}s)";
            return false;
        }

        if (!Whole().IsMatch(text))
        {
            problem = $"\"{text}\" is not a duration; use a number with {Units} (e.g. 30s, 1m30s){alternatives}";
            return false;
        }

        decimal milliseconds = 0;
        try
        {
            foreach (Match part in Part().Matches(text))
            {
                var number = decimal.Parse(part.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                milliseconds += number * part.Groups["unit"].Value switch
                {
                    "ms" => 1m,
                    "s" => 1_000m,
                    "m" => 60_000m,
                    _ => 3_600_000m,
                };
            }
        }
        catch (OverflowException)
        {
            milliseconds = decimal.MaxValue;
        }

        if (milliseconds > (decimal)TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            problem = $"\"{text}\" is too long; use at most a few years (e.g. 8760h)";
            return false;
        }

        value = TimeSpan.FromMilliseconds((double)milliseconds);
        problem = "";
        return true;
    }

    /// <summary>The shortest form that <see cref="TryParse"/> reads back to the same value, e.g. <c>1m30s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = "";
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text += $"{hours}h";
        }

        if (value.Minutes > 0)
        {
            text += $"{value.Minutes}m";
        }

        if (value.Seconds > 0)
        {
            text += $"{value.Seconds}s";
        }

        var milliseconds = (decimal)(value.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerMillisecond;
        if (milliseconds > 0)
        {
            text += $"{milliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        }

        return text;
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$")]
    private static partial Regex BareNumber();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(?<number>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|m|h)")]
    private static partial Regex Part();
}
