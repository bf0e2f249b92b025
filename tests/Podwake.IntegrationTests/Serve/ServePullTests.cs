using System.Globalization;
using System.Net;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// The real <c>podwake serve</c> pulling a missing registry image at start through the real podman. A refused pull is
/// exit 2 with one line naming the image, the registry and the reason, and nothing is left: no container, no listener.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServePullTests : IDisposable
{
    /// <summary>Nothing listens on port 1: podman's connection to the "registry" is refused at once.</summary>
    private const string UnreachableImage = "127.0.0.1:1/podwake-nothing:1";

    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();

    public ServePullTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose() => _dir.Dispose();

    [RegistryFact]
    public async Task ImageOnlyInARegistry_IsPulledAtStart_ThenTheFirstRequestIsServed()
    {
        await using var registry = await TestRegistry.StartAsync();
        var pushed = await registry.PushAsync(await TestImages.BusyboxAsync(), $"{TestNames.Unique()}:1");
        try
        {
            await TestRegistry.RemoveLocalAsync(pushed.Reference);
            Assert.False(await _podman.Client.ImageExistsAsync(pushed.Reference, CancellationToken.None), "the pushed image is still local");
            var service = TestServiceFile.Create(_dir.Path, image: pushed.Reference);

            await using var serve = await ServeProcess.StartServingAsync(service.File);

            Assert.True(await _podman.Client.ImageExistsAsync(pushed.Reference, CancellationToken.None), "serve did not pull the image");
            var response = await RawHttp.GetAsync(service.Endpoint);
            Assert.Equal(200, response.Status);
            Assert.Contains($"{service.Name}: pulling image {pushed.Reference}", serve.Stderr, StringComparison.Ordinal);
            Assert.Contains($"{service.Name}: pulled image {pushed.Reference}", serve.Stderr, StringComparison.Ordinal);

            // Not a terminal: a plain line per step, no carriage return.
            Assert.Contains($"{service.Name}: pulling layer sha256:", serve.Stderr, StringComparison.Ordinal);
            Assert.Matches(System.Text.RegularExpressions.Regex.Escape(service.Name) + @": layer sha256:[0-9a-f]{12} done", serve.Stderr);
            Assert.DoesNotContain("\e[", serve.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await TestRegistry.RemoveLocalAsync(pushed.Reference);
        }
    }

    [PodmanFact]
    public async Task UnreachableRegistry_ExitsTwoWithOneLine_LeavesNoContainerAndNoListener()
    {
        var name = TestNames.Unique();
        var port = FreePorts.Next();
        var file = Path.Combine(_dir.Path, "pull.yaml");
        await File.WriteAllTextAsync(file, string.Create(CultureInfo.InvariantCulture,
            $"name: {name}\nimage: {UnreachableImage}\nports: [{{listen: \"127.0.0.1:{port}\", container: 8080}}]\n"));
        await using var serve = ServeProcess.Start("serve", file);

        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        var lines = serve.Stderr.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var error = Assert.Single(lines, l => l.StartsWith("podwake: error:", StringComparison.Ordinal));
        Assert.StartsWith($"podwake: error: {name}: Failed to pull image {UnreachableImage}: registry 127.0.0.1:1 is unreachable (", error, StringComparison.Ordinal);
        Assert.Contains("connection refused", error, StringComparison.Ordinal);
        Assert.EndsWith("; check the registry's address in the image name and that it is up", error, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains($"{name}: pulling image {UnreachableImage}", StringComparison.Ordinal));
        Assert.False(await _podman.Client.ContainerExistsAsync($"podwake-{name}", CancellationToken.None), "a container was created");
        Assert.False(await _podman.Client.ImageExistsAsync(UnreachableImage, CancellationToken.None), "an image appeared");
        Assert.Equal(HttpOutcomeKind.Refused, (await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port))).Kind);
    }
}
