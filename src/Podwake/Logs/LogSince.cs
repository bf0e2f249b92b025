using System.Globalization;
using System.Text.RegularExpressions;

namespace Podwake.Logs;

/// <summary>
/// <c>--since</c> as <c>podman logs --since</c> takes it: an RFC 3339 time (<c>2026-11-30T18:00:00Z</c>, a date alone
/// <c>2026-11-30</c>), a Unix time in seconds, or a Go duration back from now (<c>10m</c>, <c>1h30m</c>, <c>90s</c>).
/// </summary>
internal static partial class LogSince
{
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset since, out string problem)
    {
        since = default;
        problem = "";
        text = text.Trim();
        if (GoDuration().Match(text) is { Success: true } match)
        {
            var total = TimeSpan.Zero;
            for (var i = 0; i < match.Groups["n"].Captures.Count; i++)
            {
                var n = double.Parse(match.Groups["n"].Captures[i].Value, CultureInfo.InvariantCulture);
                total += match.Groups["u"].Captures[i].Value switch
                {
                    "h" => TimeSpan.FromHours(n),
                    "m" => TimeSpan.FromMinutes(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "us" or "µs" => TimeSpan.FromMicroseconds(n),
                    _ => TimeSpan.FromTicks((long)(n / 100)),
                };
            }

            since = now - total;
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            since = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since))
        {
            return true;
        }

        problem = $"--since {text}: not a time; use RFC 3339 (2026-11-30T18:00:00Z), a date (2026-11-30), Unix seconds or a duration back from now (10m, 1h30m)";
        return false;
    }

    [GeneratedRegex(@"^(?:(?<n>\d+(?:\.\d+)?)(?<u>ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();
}
