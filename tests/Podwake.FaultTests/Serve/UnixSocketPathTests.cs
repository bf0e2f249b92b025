using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// What may be at a unix socket listener's path when serve starts: a regular file or a symbolic link planted there is
/// refused (exit 2) and left exactly as it was, the link's target too; a stale socket left by a serve killed with
/// SIGKILL is replaced, and the next serve is woken through it.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class UnixSocketPathTests : IAsyncLifetime
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();
    private readonly string _name = TestNames.Unique()["podwake-".Length..];

    public UnixSocketPathTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    private string Socket => Path.Join(_dir.Path, "web.sock");

    public Task InitializeAsync() => TestImages.BusyboxAsync();

    public async Task DisposeAsync()
    {
        // The killed serve's container (the next serve removes it at its exit; this is for a failed assertion).
        await _podman.Client.RemoveContainerAsync($"podwake-{_name}", force: true, CancellationToken.None);
        _dir.Dispose();
    }

    [PodmanFact]
    public async Task RegularFileAtThePath_Exit2_FileUntouched()
    {
        File.WriteAllText(Socket, "someone's data");

        var (exit, stderr) = await ServeUntilExitAsync();

        Assert.True(exit == 2, $"serve did not exit 2 (exit {exit}):\n{stderr}");
        Assert.Contains($"Failed to listen on {Socket}: the path is a regular file, not a socket; podwake removes only a stale socket there and left it untouched", stderr, StringComparison.Ordinal);
        Assert.Equal("someone's data", File.ReadAllText(Socket));
    }

    [PodmanFact]
    public async Task SymbolicLinkAtThePath_Exit2_LinkAndTargetUntouched()
    {
        var target = _dir.Write("target", "the link's target");
        File.CreateSymbolicLink(Socket, target);

        var (exit, stderr) = await ServeUntilExitAsync();

        Assert.True(exit == 2, $"serve did not exit 2 (exit {exit}):\n{stderr}");
        Assert.Contains($"Failed to listen on {Socket}: the path is a symbolic link, not a socket", stderr, StringComparison.Ordinal);
        Assert.Equal(target, new FileInfo(Socket).LinkTarget);
        Assert.Equal("the link's target", File.ReadAllText(target));
    }

    [PodmanFact]
    public async Task StaleSocketOfAServeKilledWithSigkill_IsReplaced_NextServeIsWokenThroughIt()
    {
        var file = WriteService();
        await using (var killed = await ServeProcess.StartServingAsync(file))
        {
            Process.GetProcessById(killed.Pid).Kill(); // SIGKILL: no chance to remove its socket file
            await killed.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite, File.GetUnixFileMode(Socket));
        await using var serve = await ServeProcess.StartServingAsync(file);
        var curl = await PodwakeCli.RunProgramAsync("curl", "-sS", "--max-time", "60", "--unix-socket", Socket, "http://x/");

        Assert.True(curl.ExitCode == 0, $"curl failed: {curl.Stderr}\n{serve.Stderr}");
        Assert.Contains(TestImages.PageText, curl.Stdout, StringComparison.Ordinal);
    }

    private string WriteService()
    {
        var file = Path.Join(_dir.Path, $"{_name}.yaml");
        File.WriteAllText(file, $$"""
            name: {{_name}}
            image: {{TestImages.Busybox}}
            ports: [{listen: {{Socket}}, container: 8080}]
            idle: 30s
            """);
        return file;
    }

    private async Task<(int Exit, string Stderr)> ServeUntilExitAsync()
    {
        await using var serve = ServeProcess.Start("serve", WriteService());
        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, serve.Stderr);
    }
}
