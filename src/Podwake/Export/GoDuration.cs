using System.Globalization;

namespace Podwake.Export;

/// <summary>
/// Durations as Go's <c>time.Duration.String</c> writes them (<c>30s</c>, <c>5m0s</c>, <c>1h0m0s</c>, <c>1.5s</c>,
/// <c>500ms</c>): what Knative reads with <c>time.ParseDuration</c> and prints back.
/// </summary>
internal static class GoDuration
{
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return $"{Number((decimal)value.Ticks / TimeSpan.TicksPerMillisecond)}ms";
        }

        var hours = (long)value.TotalHours;
        var seconds = Number(value.Seconds + ((decimal)(value.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond)) + "s";
        return hours > 0 ? $"{hours}h{value.Minutes}m{seconds}"
            : value.Minutes > 0 ? $"{value.Minutes}m{seconds}"
            : seconds;
    }

    private static string Number(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}
