using System.CommandLine;
using System.Diagnostics;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class VersionTextTests
{
    [Fact]
    public void Format_VersionCommitAndDate()
    {
        Assert.Equal("podwake 0.14.0 (commit 1a2b3c4, 2026-11-30)", VersionText.Format("0.14.0", "1a2b3c4", "2026-11-30"));
    }

    [Fact]
    public void Format_LeavesSourceLinksFullHashOut()
    {
        Assert.Equal(
            "podwake 0.14.0 (commit 1a2b3c4, 2026-11-30)",
            VersionText.Format("0.14.0+1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", "1a2b3c4", "2026-11-30"));
    }

    [Fact]
    public void Format_NoCommit_SaysUnknown()
    {
        Assert.Equal("podwake 0.14.0 (commit unknown)", VersionText.Format("0.14.0", null, null));
        Assert.Equal("podwake 0.14.0 (commit unknown)", VersionText.Format("0.14.0", "", "2026-11-30"));
    }

    [Fact]
    public void VersionOption_PrintsTheVersionLineAndExitsZero()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };

        var exitCode = PodwakeCommand.Create().Parse(["--version"]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(VersionText.Current + "\n", output.ToString());
        Assert.Matches(@"^podwake \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}, \d{4}-\d{2}-\d{2}|unknown)\)$", VersionText.Current);
        Assert.Equal("", error.ToString());
    }

    /// <summary>
    /// The binary built beside these tests (the apphost of the project reference) names the commit this tree is at: the
    /// MSBuild target reads git at build time. Without git or .git (a tarball) it must say unknown instead.
    /// </summary>
    [Fact]
    public async Task BuiltBinary_NamesTheCurrentCommit()
    {
        var head = await RunAsync("git", "-C", RepositoryPaths.Root, "log", "-1", "--format=%h %cs");
        var binary = Path.Join(AppContext.BaseDirectory, "podwake");

        var version = await RunAsync(binary, "--version");

        Assert.Equal(0, version.ExitCode);
        var expected = head.ExitCode == 0 && head.Output.Trim().Split(' ') is [var hash, var date]
            ? $"(commit {hash}, {date})"
            : "(commit unknown)";
        Assert.EndsWith(expected, version.Output.Trim(), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output);
    }
}
