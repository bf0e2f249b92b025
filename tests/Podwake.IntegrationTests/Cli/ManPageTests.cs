using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Cli;

/// <summary><c>podwake man PAGE</c> rendered by man-db (groff) with every warning on: nothing on stderr.</summary>
public sealed class ManPageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("podwake", "podwake.1", "podwake status [NAME] [options]")]
    [InlineData("podwake.yaml", "podwake.yaml.5", "env_file")]
    public async Task Man_RendersThePageWithoutWarnings(string page, string file, string expected)
    {
        var roff = await PodwakeCli.RunAsync("man", page);
        Assert.Equal(0, roff.ExitCode);
        var path = _dir.Write(file, roff.Stdout);
        Assert.True(File.Exists("/usr/bin/man"), "man is not installed: apt-get install man-db groff-base");

        var start = new ProcessStartInfo("/usr/bin/man", ["--warnings", "-l", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["MANWIDTH"] = "200";
        using var man = Process.Start(start)!;
        var stdout = man.StandardOutput.ReadToEndAsync();
        var stderr = man.StandardError.ReadToEndAsync();
        await man.WaitForExitAsync();

        Assert.True(man.ExitCode == 0 && (await stderr).Length == 0, $"man exited {man.ExitCode}:\n{await stderr}");
        Assert.Contains(expected, await stdout, StringComparison.Ordinal);
    }
}
