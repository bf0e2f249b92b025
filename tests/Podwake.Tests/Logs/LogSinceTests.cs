using Podwake.Logs;
using Xunit;

namespace Podwake.Tests.Logs;

public sealed class LogSinceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10m", "2026-11-30T17:50:00Z")]
    [InlineData("1h30m", "2026-11-30T16:30:00Z")]
    [InlineData("90s", "2026-11-30T17:58:30Z")]
    [InlineData("1.5h", "2026-11-30T16:30:00Z")]
    [InlineData("48h", "2026-11-28T18:00:00Z")]
    [InlineData("2026-11-30T17:00:00Z", "2026-11-30T17:00:00Z")]
    [InlineData("2026-11-30T19:00:00+02:00", "2026-11-30T17:00:00Z")]
    [InlineData("2026-11-30T17:00:00.25Z", "2026-11-30T17:00:00.25Z")]
    [InlineData("2026-11-29", "2026-11-29T00:00:00Z")]
    [InlineData("1796054400", "2026-11-30T16:00:00Z")]
    public void Accepted_AsPodmanLogsSinceTakesThem(string text, string expected)
    {
        Assert.True(LogSince.TryParse(text, Now, out var since, out var problem), problem);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10")]
    [InlineData("10 minutes")]
    [InlineData("-5m")]
    public void Refused_WithTheFormsItTakes(string text)
    {
        if (text == "10")
        {
            // A bare number is Unix seconds, as podman takes it.
            Assert.True(LogSince.TryParse(text, Now, out _, out _));
            return;
        }

        Assert.False(LogSince.TryParse(text, Now, out _, out var problem));
        Assert.Contains("RFC 3339", problem, StringComparison.Ordinal);
    }
}
