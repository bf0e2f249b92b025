using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.IntegrationTests.Podman;

public sealed class PodmanServiceTests : IDisposable
{
    private readonly TempDirectory _runtimeDir = new();
    private readonly ITestOutputHelper _output;

    public PodmanServiceTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _runtimeDir.Dispose();

    [PodmanFact]
    public async Task Connect_NoServiceInTheRuntimeDir_StartsItsOwnAndStopsItOnDispose()
    {
        var environment = EmptyRuntimeDir() with
        {
            PodmanPath = PodmanEnvironment.FindOnPath("podman", Environment.GetEnvironmentVariable("PATH")),
        };

        var watch = Stopwatch.StartNew();
        var service = await PodmanService.ConnectAsync(environment, _output.WriteLine, CancellationToken.None);
        _output.WriteLine($"own service answering after {watch.ElapsedMilliseconds} ms");
        int pid;
        string socket;
        try
        {
            Assert.True(service.StartedByUs);
            socket = service.SocketPath;
            Assert.Equal(Path.Combine(_runtimeDir.Path, "podwake", $"podman-{environment.ProcessId}.sock"), socket);
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                    File.GetUnixFileMode(Path.Combine(_runtimeDir.Path, "podwake")));
            }
            pid = service.ServiceProcessId!.Value;
            Assert.NotEmpty(ProcessesMentioning(socket));
            await service.Client.PingAsync(CancellationToken.None);
        }
        finally
        {
            await service.DisposeAsync();
        }

        Assert.False(File.Exists(socket));
        Assert.Empty(ProcessesMentioning(socket));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"pid {pid} is gone");
    }

    [Fact]
    public async Task Connect_PodmanNotInstalled_SaysWhatToInstall()
    {
        var environment = EmptyRuntimeDir() with { PodmanPath = null };

        var error = await Assert.ThrowsAsync<PodmanUnavailableException>(
            () => PodmanService.ConnectAsync(environment, null, CancellationToken.None));

        Assert.Equal("podman is not installed: apt-get install podman", error.Message);
    }

    [Fact]
    public async Task Connect_RootlessWithoutXdgRuntimeDir_SaysToSetIt()
    {
        var environment = EmptyRuntimeDir() with { XdgRuntimeDir = null, PodmanPath = "/usr/bin/podman" };

        var error = await Assert.ThrowsAsync<PodmanUnavailableException>(
            () => PodmanService.ConnectAsync(environment, null, CancellationToken.None));

        Assert.Contains("XDG_RUNTIME_DIR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CandidateSockets_UnixContainerHostFirst_ThenTheUsersDefault()
    {
        var environment = EmptyRuntimeDir() with { ContainerHost = "unix:///run/x/podman.sock" };

        var candidates = PodmanService.CandidateSockets(environment, null).ToList();

        Assert.Equal(["/run/x/podman.sock", Path.Combine(_runtimeDir.Path, "podman", "podman.sock")], candidates);
    }

    [Fact]
    public void CandidateSockets_Root_UsesRunPodman()
    {
        var environment = EmptyRuntimeDir() with { IsRoot = true, ContainerHost = "ssh://elsewhere" };

        Assert.Equal(["/run/podman/podman.sock"], PodmanService.CandidateSockets(environment, null));
    }

    /// <summary>A rootless-looking environment whose runtime dir has no podman socket, and a PID no other test uses.</summary>
    private PodmanEnvironment EmptyRuntimeDir() => new()
    {
        IsRoot = false,
        XdgRuntimeDir = _runtimeDir.Path,
        ProcessId = Random.Shared.Next(1_000_000, 2_000_000),
    };

    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // another user's process
            }
        }

        return found;
    }
}
