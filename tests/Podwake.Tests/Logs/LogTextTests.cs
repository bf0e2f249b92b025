using Podwake.Logs;
using Xunit;

namespace Podwake.Tests.Logs;

public sealed class LogTextTests
{
    private static readonly DateTime T0 = new(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ContainerLine_NanosecondTime_ParsedToTheTick()
    {
        var line = ContainerLogLine.Parse("2026-11-30T18:00:01.123456789Z started 42", "podwake-web", "web");

        Assert.NotNull(line);
        Assert.Equal(T0.AddSeconds(1).AddTicks(1234567), line.Time);
        Assert.Equal(DateTimeKind.Utc, line.Time.Kind);
        Assert.Equal("started 42", line.Message);
        Assert.Equal("podwake-web", line.Source);
        Assert.Null(ContainerLogLine.Parse("Error: no such container", "podwake-web", "web"));
    }

    [Fact]
    public void Merge_OrdersBothSourcesByTime_TiesKeepTheirOrder()
    {
        LogLine[] container = [Line(1, "c", "started"), Line(3, "c", "GET /"), Line(3, "c", "GET /again")];
        LogLine[] podwake = [Line(0, "podwake", "waking"), Line(2, "podwake", "ready"), Line(4, "podwake", "dormant")];

        var merged = LogText.Merge(container, podwake).Select(l => l.Message);

        Assert.Equal(["waking", "started", "ready", "GET /", "GET /again", "dormant"], merged);
    }

    [Fact]
    public void Format_TimeSourceText()
    {
        Assert.Equal("2026-11-30T18:00:02.000Z podwake-web started", LogText.Format(Line(2, "podwake-web", "started")));
        Assert.Equal(
            """{"time":"2026-11-30T18:00:02Z","source":"podwake-web","service":"web","message":"started"}""",
            LogText.Json(Line(2, "podwake-web", "started")));
    }

    [Fact]
    public void Follower_LeavesOutLinesAlreadyPrinted()
    {
        var follower = new LogFollower(null!, null!, DateTimeOffset.UnixEpoch, TimeProvider.System);
        follower.Printed([Line(1, "c", "a"), Line(2, "c", "b"), Line(2, "podwake", "x")]);

        Assert.False(follower.IsNew(Line(1, "c", "a")));
        Assert.False(follower.IsNew(Line(2, "c", "b")));
        Assert.True(follower.IsNew(Line(2, "c", "b2")));
        Assert.True(follower.IsNew(Line(3, "c", "c")));
        Assert.True(follower.IsNew(Line(1, "d", "a")));
    }

    private static LogLine Line(int second, string source, string text) =>
        new() { Time = T0.AddSeconds(second), Source = source, Service = "web", Message = text };
}
