using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0s", 0)]
    public void ValidDuration_Parses(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("30", "\"30\" has no unit; add one of ms, s, m or h (e.g. 30s)")]
    [InlineData("30sec", "\"30sec\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s)")]
    [InlineData("-5s", "\"-5s\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s)")]
    [InlineData("1m 30s", "\"1m 30s\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s)")]
    [InlineData("s", "\"s\" is not a duration; use a number with ms, s, m or h (e.g. 30s, 1m30s)")]
    [InlineData("99999999999h", "\"99999999999h\" is longer than 24h, the most podwake accepts; use at most 24h")]
    [InlineData("24h1ms", "\"24h1ms\" is longer than 24h, the most podwake accepts; use at most 24h")]
    [InlineData("1200h", "\"1200h\" is longer than 24h, the most podwake accepts; use at most 24h")]
    public void InvalidDuration_SaysWhy(string text, string problem)
    {
        Assert.False(Duration.TryParse(text, out _, out var actual));
        Assert.Equal(problem, actual);
    }

    [Theory]
    [InlineData("1m30s")]
    [InlineData("500ms")]
    [InlineData("2h")]
    [InlineData("23h59m59s999ms")]
    [InlineData("24h")]
    [InlineData("1s250ms")]
    public void Format_RoundTrips(string text)
    {
        Assert.True(Duration.TryParse(text, out var value, out _));
        Assert.Equal(text, Duration.Format(value));
    }
}
