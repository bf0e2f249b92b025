using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// <c>listen: /PATH.sock</c> under <c>podwake serve</c>: a unix stream socket on the host, bridged to the container's
/// TCP port; woken by <c>curl --unix-socket</c>. Real binary, real podman, real curl.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeUnixSocketTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public ServeUnixSocketTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task UnixSocketListener_CurlWakesIt_StatusShowsThePath_FileRemovedAtExit()
    {
        await TestImages.BusyboxAsync();
        var name = TestNames.Unique()["podwake-".Length..];
        var socket = Path.Join(_dir.Path, "run", "web.sock"); // run/ does not exist: serve creates it, as systemd does
        var file = Path.Join(_dir.Path, $"{name}.yaml");
        File.WriteAllText(file, $$"""
            name: {{name}}
            image: {{TestImages.Busybox}}
            ports:
              - listen: {{socket}}
                container: 8080
                mode: "0660"
            idle: 30s
            ready: {tcp: 8080, timeout: 30s}
            """);

        await using (var serve = await ServeProcess.StartServingAsync(file))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(socket));
            Assert.False((await _podman.Client.InspectContainerAsync($"podwake-{name}", CancellationToken.None)).State.Running, "a container runs before any request");

            var curl = await PodwakeCli.RunProgramAsync("curl", "-sS", "--max-time", "60", "--unix-socket", socket, "http://x/");

            Assert.True(curl.ExitCode == 0, $"curl failed: {curl.Stderr}\n{serve.Stderr}");
            Assert.Contains(TestImages.PageText, curl.Stdout, StringComparison.Ordinal);
            var status = await serve.ServiceStatusAsync(name);
            Assert.Equal("ready", status.GetProperty("state").GetString());
            Assert.Equal([socket], status.GetProperty("listen").EnumerateArray().Select(l => l.GetString()));
            var table = await PodwakeCli.RunAsync("status", name);
            Assert.Contains(socket, table.Stdout, StringComparison.Ordinal);
        }

        Assert.False(Path.Exists(socket), "serve left its socket file behind");
    }

    [PodmanFact]
    public async Task AbstractSocketListener_CurlWakesIt()
    {
        await TestImages.BusyboxAsync();
        var name = TestNames.Unique()["podwake-".Length..];
        var file = Path.Join(_dir.Path, $"{name}.yaml");
        File.WriteAllText(file, $$"""
            name: {{name}}
            image: {{TestImages.Busybox}}
            ports: [{listen: "@{{name}}", container: 8080}]
            idle: 30s
            """);
        await using var serve = await ServeProcess.StartServingAsync(file);

        var curl = await PodwakeCli.RunProgramAsync("curl", "-sS", "--max-time", "60", "--abstract-unix-socket", name, "http://x/");

        Assert.True(curl.ExitCode == 0, $"curl failed: {curl.Stderr}\n{serve.Stderr}");
        Assert.Contains(TestImages.PageText, curl.Stdout, StringComparison.Ordinal);
    }
}
