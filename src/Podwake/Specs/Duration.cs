using System.Globalization;
using System.Text.RegularExpressions;

namespace Podwake.Specs;

/// <summary>Durations as written in service files: one or more <c>NUMBER UNIT</c> with units ms, s, m, h (<c>1m30s</c>).</summary>
internal static partial class Duration
{
    public const string Units = "ms, s, m or h";

    /// <summary>The longest duration any key accepts (README, "Limits").</summary>
    /// <remarks>
    /// Every duration ends up in a timer (<c>Task.Delay</c>, <c>CancelAfter</c>, <c>ITimer</c>), which throws past
    /// uint.MaxValue - 1 ms (~49.7 days): a ready.timeout of 1200h passed validate, then every connection got an
    /// empty reply and SIGTERM threw, leaving the container. 24h keeps even a sum of two (flow_idle + idle) far below.
    /// </remarks>
    public static readonly TimeSpan Maximum = TimeSpan.FromHours(24);

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

        if (milliseconds > (decimal)Maximum.TotalMilliseconds)
        {
            problem = $"\"{text}\" is longer than {Format(Maximum)}, the most podwake accepts; use at most {Format(Maximum)}{alternatives}";
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

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?\z")]
    private static partial Regex BareNumber();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+\z")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(?<number>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|m|h)")]
    private static partial Regex Part();
}
