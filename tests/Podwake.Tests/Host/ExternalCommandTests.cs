using Podwake.Host;
using Xunit;

namespace Podwake.Tests.Host;

public sealed class ExternalCommandTests
{
    [Fact]
    public async Task LineCallback_GetsEachLineOfBothStreams_AsItComes_AndTheResultStillHasThem()
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var marker = Path.Combine(Path.GetTempPath(), $"podwake-test-{Guid.NewGuid():N}");
        try
        {
            // The first line arrives while the program still runs: it waits for the file the callback creates (else: cancelled).
            var result = await ExternalCommand.RunAsync(
                "sh",
                ["-c", $"echo one; while [ ! -e {marker} ]; do sleep 0.05; done; echo two >&2"],
                cancellationToken: timeout.Token,
                line: l =>
                {
                    lines.Add(l);
                    File.WriteAllText(marker, "");
                });

            Assert.True(result.Succeeded);
            Assert.Equal(["one", "two"], lines);
            Assert.Equal("one\n", result.Stdout);
            Assert.Equal("two\n", result.Stderr);
        }
        finally
        {
            File.Delete(marker);
        }
    }
}
