using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

public sealed class PodmanClientLogsTests
{
    [Fact]
    public void FramedStdoutAndStderr_AreJoinedInOrder()
    {
        // As podman 4.3.1 answered for `echo out1; echo 'config error: DATABASE_URL not set' >&2` (no tty).
        byte[] bytes = [1, 0, 0, 0, 0, 0, 0, 5, .. "out1\n"u8, 2, 0, 0, 0, 0, 0, 0, 35, .. "config error: DATABASE_URL not set\n"u8];

        var lines = PodmanClient.SplitLines(PodmanClient.Demultiplex(bytes), 10);

        Assert.Equal(["out1", "config error: DATABASE_URL not set"], lines);
    }

    [Fact]
    public void UnframedText_IsKeptAsItIs_LastLinesOnly()
    {
        var lines = PodmanClient.SplitLines(PodmanClient.Demultiplex("a\r\nb\nc\n"u8), 2);

        Assert.Equal(["b", "c"], lines);
    }

    [Fact]
    public void NoOutput_IsNoLine() => Assert.Empty(PodmanClient.SplitLines(PodmanClient.Demultiplex([]), 10));
}
