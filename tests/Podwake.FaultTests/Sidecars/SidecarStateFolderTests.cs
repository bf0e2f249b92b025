using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Sidecars;

/// <summary>
/// A side-car service's state folder is writable by whoever calls the wrapper (an agent's container has it
/// bind-mounted): something planted there (a directory, a FIFO or a link where podwake expects a file) is never
/// followed, never hangs serve, and never stops it from answering the other calls.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class SidecarStateFolderTests : IDisposable
{
    private const string PlantedId = "0123abcd";

    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();
    private readonly List<TestSidecarService> _services = [];

    public SidecarStateFolderTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose()
    {
        _services.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [PodmanTheory]
    [InlineData("calls/" + PlantedId + ".call", "directory")]
    [InlineData("calls/" + PlantedId + ".call", "fifo")]
    [InlineData("calls/" + PlantedId + ".call", "link")]
    [InlineData("keys/planted.call", "directory")]
    [InlineData("keys/planted.call", "fifo")]
    [InlineData("keys/k.call", "link")]
    [InlineData("status/" + PlantedId, "directory")]
    [InlineData("status/" + PlantedId, "link")]
    [InlineData("lock", "directory")]
    [InlineData("lock", "fifo")]
    [InlineData("lock", "link")]
    [InlineData("timestamp", "directory")]
    [InlineData("timestamp", "fifo")]
    public async Task SomethingPlantedInTheStateFolder_IsNotFollowed_ServeKeepsAnsweringCalls(string where, string what)
    {
        var service = await NewAsync();
        var target = Path.Combine(_dir.Path, "precious");
        File.WriteAllText(target, "precious\n");
        foreach (var folder in new[] { "calls", "keys", "status" })
        {
            Directory.CreateDirectory(Path.Combine(service.Paths.Directory, folder));
        }

        if (where.StartsWith("status/", StringComparison.Ordinal))
        {
            // A call of the planted ID that sync must answer (a malformed one: its answer is "failed").
            File.WriteAllText(Path.Combine(service.Paths.Calls, PlantedId + ".call"), "garbage\n");
        }

        await PlantAsync(Path.Combine(service.Paths.Directory, where), what, target);
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        var call = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k" }, null, "8080", "after-the-plant");

        Assert.True(call.ExitCode == 0, $"{where} as a {what}: the call got {call}\n{serve.Stderr}");
        Assert.True((await _podman.Client.InspectContainerAsync(service.Container("k"), CancellationToken.None)).State.Running);
        Assert.False(serve.HasExited, serve.Stderr);
        Assert.Equal("precious\n", File.ReadAllText(target));
        var list = await PodwakeCli.RunAsync("sidecar", "list", service.Name);
        Assert.True(list.ExitCode == 0 && list.Stdout.Contains("after-the-plant", StringComparison.Ordinal), list.ToString());
        if (where.StartsWith("calls/", StringComparison.Ordinal) && what != "directory")
        {
            // Its caller is told what is wrong with its call, not deploy's advice.
            var answer = File.ReadAllText(Path.Combine(service.Paths.Status, PlantedId));
            Assert.StartsWith("failed\n", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("deploy", answer, StringComparison.Ordinal);
        }
    }

    [PodmanFact]
    public async Task ADirectoryAtAKeysEntry_FailsThatKeysCallsWithAClearMessage_OtherKeysRun()
    {
        var service = await NewAsync();
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Directory.CreateDirectory(Path.Combine(service.Paths.Keys, "k.call", "inside"));

        var blocked = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k" }, null, "8080", "blocked");
        var other = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k2" }, null, "8080", "other");

        Assert.True(blocked.ExitCode == 125 && blocked.Stderr.Contains("could not be listed", StringComparison.Ordinal), $"{blocked}\n{serve.Stderr}");
        Assert.Contains("keys/k.call", blocked.Stderr, StringComparison.Ordinal);
        Assert.True(other.ExitCode == 0, $"{other}\n{serve.Stderr}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Paths.Calls));
        Assert.False(serve.HasExited);
    }

    [PodmanTheory]
    [InlineData("calls", false)]
    [InlineData("calls", true)]
    [InlineData("keys", true)]
    [InlineData("status", true)]
    public async Task AFolderOfTheStateFolderRemovedOrReplacedByALink_WhileServeRuns_IsMadeAgain_CallsAnswered(string folder, bool link)
    {
        var service = await NewAsync();
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k" }, null, "8080", "before")).ExitCode);
        var elsewhere = Path.Combine(_dir.Path, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var path = Path.Combine(service.Paths.Directory, folder);

        Directory.Delete(path, recursive: true);
        for (var tries = 0; link; tries++)
        {
            try
            {
                File.CreateSymbolicLink(path, elsewhere);
                break;
            }
            catch (IOException) when (tries < 20)
            {
                // serve made the folder again between the two steps: remove it again.
                Directory.Delete(path, recursive: true);
            }
        }

        await Eventually.TrueAsync(() => Task.FromResult(new DirectoryInfo(path) is { Exists: true, LinkTarget: null }), TimeSpan.FromSeconds(10),
            () => $"{path} was not made again\n{serve.Stderr}");
        var call = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k2" }, null, "8080", "after");
        Assert.True(call.ExitCode == 0, $"{call}\n{serve.Stderr}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        Assert.False(serve.HasExited);
    }

    [PodmanFact]
    public async Task ADirectoryAtTheTimestamp_SidecarRemoveStillRemovesTheKeysContainer_SidecarSyncStillWakesServe()
    {
        var service = await NewAsync();
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(0, (await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k" }, null, "8080", "a")).ExitCode);
        PlantDirectory(service.Paths.Timestamp);

        var remove = await PodwakeCli.RunAsync("sidecar", "remove", service.Name, "k");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.False(await _podman.Client.ContainerExistsAsync(service.Container("k"), CancellationToken.None));

        PlantDirectory(service.Paths.Timestamp);
        Directory.CreateDirectory(Path.Combine(service.Paths.Timestamp, "inside"));
        File.WriteAllText(Path.Combine(service.Paths.Keys, "gone.call"), "not a call\n");
        var sync = await PodwakeCli.RunAsync("sidecar", "sync", service.Name);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        await Eventually.TrueAsync(() => Task.FromResult(!File.Exists(Path.Combine(service.Paths.Keys, "gone.call"))), TimeSpan.FromSeconds(5),
            () => $"the touch did not wake serve\n{serve.Stderr}");
    }

    /// <summary>A directory in place of the file <paramref name="path"/> (serve may make the file again between the two steps: its watch sees it go).</summary>
    private static void PlantDirectory(string path)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                File.Delete(path);
                Directory.CreateDirectory(path);
                return;
            }
            catch (IOException) when (tries < 20)
            {
            }
        }
    }

    private static async Task PlantAsync(string path, string what, string linkTarget)
    {
        switch (what)
        {
            case "directory":
                Directory.CreateDirectory(Path.Combine(path, "inside"));
                break;
            case "fifo":
                var mkfifo = await PodwakeCli.RunProgramAsync("mkfifo", path);
                Assert.True(mkfifo.ExitCode == 0, mkfifo.ToString());
                break;
            default:
                // A call file that is a link to /dev/zero would never end; elsewhere a root-owned file podwake must not write.
                File.CreateSymbolicLink(path, path.Contains("/calls/", StringComparison.Ordinal) ? "/dev/zero" : linkTarget);
                break;
        }
    }

    private async Task<TestSidecarService> NewAsync()
    {
        var service = await TestSidecarService.CreateAsync(_dir.Path, "env:AGENT_KEY", extra: "  timeout: 20s");
        _services.Add(service);
        return service;
    }
}
