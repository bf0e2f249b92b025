using System.Globalization;

namespace Podwake.Logs;

/// <summary>A line of <c>podman logs -t</c>: an RFC 3339 time with nanoseconds, a space, the container's text.</summary>
internal static class ContainerLogLine
{
    /// <summary>The line as a <see cref="LogLine"/>; null when it has no time in front (podman's own messages).</summary>
    public static LogLine? Parse(string line, string container, string service)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 20 || !TryParseTime(line[..space], out var time))
        {
            return null;
        }

        return new LogLine { Time = time, Source = container, Service = service, Message = line[(space + 1)..] };
    }

    /// <summary>RFC 3339 with up to 9 fractional digits (.NET reads 7: the rest is below a tick).</summary>
    internal static bool TryParseTime(string text, out DateTime time)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        var parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value);
        time = value.UtcDateTime;
        return parsed;
    }
}
