using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// <c>podwake update</c> when the host works against it: the image (and with it the container) removed behind serve's
/// back, a second update of the same service at once, serve killed in the middle of an update. Real serve, real
/// podman, a real docker-registry.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class UpdateFaultTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly string _unique = TestNames.Unique();
    private readonly List<string> _tags = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var tag in _tags)
        {
            await TestRegistry.RemoveLocalAsync(tag);
        }

        _dir.Dispose();
    }

    [RegistryFact]
    public async Task ImageRemovedBehindServesBack_WakeFailsClearly_UpdateRestoresIt()
    {
        await using var registry = await TestRegistry.StartAsync();
        var v1 = await BuildAsync("v1");
        var pushed = await PushAsync(registry, v1);
        var service = TestServiceFile.Create(_dir.Path, image: pushed.Reference, extra: "update: registry");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        // podman rmi -f of the image's ID: every tag and the container go.
        var id = (await PodwakeCli.RunProgramAsync("podman", "image", "inspect", "--format", "{{.Id}}", v1)).Stdout.Trim();
        var rmi = await PodwakeCli.RunProgramAsync("podman", "rmi", "-f", id);
        Assert.True(rmi.ExitCode == 0, rmi.ToString());
        Assert.NotEqual(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var lastError = (await serve.ServiceStatusAsync(service.Name)).GetProperty("last_error").GetString();
        Assert.Contains(pushed.Reference, lastError, StringComparison.Ordinal);

        var update = await PodwakeCli.RunAsync("update", service.Name);

        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains($"{service.Name}: updated {pushed.Reference}", update.Stdout, StringComparison.Ordinal);
        Assert.Contains($"-> {pushed.Digest}", update.Stdout, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await RawHttp.GetAsync(service.Endpoint)).Status == 200, TimeSpan.FromSeconds(45));
    }

    [RegistryFact]
    public async Task SecondUpdateOfTheSameServiceMeanwhile_IsRefusedAtOnce_TheFirstGoesOn()
    {
        await using var registry = await TestRegistry.StartAsync();
        var pushed = await PushAsync(registry, await BuildAsync("v1"));
        var service = TestServiceFile.Create(_dir.Path, image: pushed.Reference, readyTimeout: "8s", extra: "update: registry");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        await PushAsync(registry, await BuildAsync("v2", neverReady: true));

        var first = PodwakeCli.RunAsync("update", service.Name);
        await Eventually.TrueAsync(async () => await ExistsAsync($"{service.Container}-next"), TimeSpan.FromSeconds(30));
        var second = await PodwakeCli.RunAsync("update", service.Name);

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains($"{service.Name}: failed: an update of {service.Name} is running already", second.Stdout, StringComparison.Ordinal);
        var done = await first;
        Assert.True(done.ExitCode == 3, done.ToString());
        Assert.False(await ExistsAsync($"{service.Container}-next"), "the broken new container was left");
    }

    [RegistryFact]
    public async Task ServeKilledMidUpdate_TheNextServeRemovesTheLeftNewContainer()
    {
        await using var registry = await TestRegistry.StartAsync();
        var pushed = await PushAsync(registry, await BuildAsync("v1"));
        var service = TestServiceFile.Create(_dir.Path, image: pushed.Reference, readyTimeout: "60s", extra: "update: registry");
        await using (var serve = await ServeProcess.StartServingAsync(service.File))
        {
            await PushAsync(registry, await BuildAsync("v2", neverReady: true));
            var update = PodwakeCli.RunAsync("update", service.Name);
            await Eventually.TrueAsync(async () => await ExistsAsync($"{service.Container}-next"), TimeSpan.FromSeconds(30));

            serve.Signal(Signals.Kill);
            await serve.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var answered = await update;
            Assert.True(answered.ExitCode == 2, answered.ToString());
        }

        Assert.True(await ExistsAsync($"{service.Container}-next"), "SIGKILL cannot clean up: the scenario needs the leftover");
        await using var again = await ServeProcess.StartServingAsync(service.File);

        Assert.False(await ExistsAsync($"{service.Container}-next"), "the next serve left the new container of the killed one's update");
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
    }

    [PodmanFact]
    public async Task NewContainerRemovedDuringTheDrain_TheUpdateStillAnswersInOneLine_AndTheServiceServesV2()
    {
        // update: local, so no registry: the tag is moved to v2 by hand.
        var v1 = await BuildAsync("v1");
        var v2 = await BuildAsync("v2");
        var tag = $"localhost/{_unique}-local:1";
        _tags.Add(tag);
        await TagAsync(v1, tag);
        var service = TestServiceFile.Create(_dir.Path, image: tag, extra: "update: local");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Contains($"{_unique} v1", (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);

        // A connection held open on the old container keeps the drain going while the new container is removed.
        using var held = new TcpClient();
        await held.ConnectAsync(service.Endpoint);
        await Task.Delay(300);
        await TagAsync(v2, tag);
        var update = PodwakeCli.RunAsync("update", service.Name);
        await Eventually.TrueAsync(() => Task.FromResult((serve.Stdout + serve.Stderr).Contains("new connections go to it", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        var rm = await PodwakeCli.RunProgramAsync("podman", "rm", "-f", $"{service.Container}-next");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        held.Dispose();
        var answered = await update;

        // The new image took over before it was removed: the update happened, and the next wake creates its
        // container again under the service's name (a name left on -next would be removed by the next update).
        Assert.DoesNotContain("did not answer", answered.Stderr, StringComparison.Ordinal);
        Assert.True(answered.ExitCode == 0, answered.ToString());
        Assert.Contains($"{service.Name}: updated {tag}", answered.Stdout, StringComparison.Ordinal);
        var lastUpdate = (await serve.ServiceStatusAsync(service.Name)).GetProperty("last_update");
        Assert.Equal("updated", lastUpdate.GetProperty("outcome").GetString());
        await Eventually.TrueAsync(async () => (await RawHttp.GetAsync(service.Endpoint)).Body.Contains($"{_unique} v2", StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        Assert.True(await ExistsAsync(service.Container), "the container created again is not named as the service");
        Assert.False(await ExistsAsync($"{service.Container}-next"), "the container created again kept the update's name");
    }

    private async Task<string> BuildAsync(string version, bool neverReady = false)
    {
        var tag = $"localhost/{_unique}-{version}:1";
        _tags.Add(tag);
        return await TestImages.BuildPageAsync(tag, $"{_unique} {version}", neverReady);
    }

    /// <summary>Pushes as the service's tag; the host's tag stays where it was (<see cref="TestRegistry.PushAsHostAsync"/>).</summary>
    private async Task<PushedImage> PushAsync(TestRegistry registry, string local)
    {
        var pushed = await registry.PushAsHostAsync(local, $"{_unique}:1");
        _tags.Add(pushed.Reference);
        return pushed;
    }

    private static async Task TagAsync(string image, string tag)
    {
        var tagged = await PodwakeCli.RunProgramAsync("podman", "tag", image, tag);
        Assert.True(tagged.ExitCode == 0, tagged.ToString());
    }

    private static async Task<bool> ExistsAsync(string container) =>
        (await PodwakeCli.RunProgramAsync("podman", "container", "exists", container)).ExitCode == 0;
}
