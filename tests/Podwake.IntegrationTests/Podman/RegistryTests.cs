using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Podman;

/// <summary>
/// The real registry the update tests rely on (<see cref="TestRegistry"/>): podman pushes to it and pulls from it as
/// whoever runs the tests, plain HTTP through scripts/setup-dev's registries.conf.d drop-in, with and without basic auth.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class RegistryTests : IAsyncLifetime
{
    private readonly List<string> _references = [];
    private readonly TempDirectory _temp = new();
    private readonly string _name = $"{TestNames.Unique()}:1";
    private TestRegistry? _registry;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var reference in _references)
        {
            await TestRegistry.RemoveLocalAsync(reference);
        }

        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        _temp.Dispose();
    }

    [RegistryFact]
    public async Task PushThenPull_WithoutTheLocalCopy_GivesTheSameImage()
    {
        _registry = await TestRegistry.StartAsync();
        var image = await TestImages.BusyboxAsync();
        var pushed = await PushAsync(image);
        Assert.Equal(pushed.Digest, await ManifestDigestAsync(_registry, _name));
        await TestRegistry.RemoveLocalAsync(pushed.Reference);
        Assert.NotEqual(0, (await Podman("image", "exists", pushed.Reference)).ExitCode);

        var pull = await Podman("pull", pushed.Reference);

        Assert.True(pull.ExitCode == 0, $"podman pull failed: {pull}\nregistry:\n{_registry.Output}");
        Assert.Equal(await ImageIdAsync(image), await ImageIdAsync(pushed.Reference));
        var repoDigests = await Podman("image", "inspect", "--format", "{{range .RepoDigests}}{{.}} {{end}}", pushed.Reference);
        Assert.Contains($"{_registry.Address}/{_name.Split(':')[0]}@{pushed.Digest}", repoDigests.Stdout);
    }

    [RegistryFact]
    public async Task Pull_FromBasicAuthRegistryWithoutCredentials_IsUnauthorized()
    {
        _registry = await TestRegistry.StartAsync("podwake", "s3cret-test");
        var authFile = Path.Combine(_temp.Path, "auth.json");
        await _registry.LoginAsync(authFile);
        var reference = (await PushAsync(await TestImages.BusyboxAsync(), authFile)).Reference;
        await TestRegistry.RemoveLocalAsync(reference);

        // An empty auth file of our own: neither root's nor the user's podman login may lend credentials.
        var empty = _temp.Write("empty.json", "{}");
        var pull = await Podman("pull", "--authfile", empty, reference);

        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("unauthorized", pull.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, (await Podman("image", "exists", reference)).ExitCode);
    }

    [RegistryFact]
    public async Task Pull_FromBasicAuthRegistryWithLoginsAuthFile_Works()
    {
        _registry = await TestRegistry.StartAsync("podwake", "s3cret-test");
        var authFile = Path.Combine(_temp.Path, "auth.json");
        await _registry.LoginAsync(authFile);
        Assert.Contains(_registry.Address, await File.ReadAllTextAsync(authFile));
        var image = await TestImages.BusyboxAsync();
        var reference = (await PushAsync(image, authFile)).Reference;
        await TestRegistry.RemoveLocalAsync(reference);

        var pull = await Podman("pull", "--authfile", authFile, reference);

        Assert.True(pull.ExitCode == 0, $"podman pull --authfile failed: {pull}\nregistry:\n{_registry.Output}");
        Assert.Equal(await ImageIdAsync(image), await ImageIdAsync(reference));
    }

    [RegistryFact]
    public async Task Start_WithPortsOfTheRangeTaken_UsesAFreeOneOfTheRange()
    {
        // Tests in parallel collections (and other test runs on the host) hold ports of the range: take half of it.
        var held = new List<Socket>();
        try
        {
            for (var port = TestRegistry.FirstPort; port < TestRegistry.FirstPort + 8; port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    socket.Listen();
                    held.Add(socket);
                }
                catch (SocketException)
                {
                    socket.Dispose(); // someone else's already: taken either way
                }
            }

            _registry = await TestRegistry.StartAsync();

            var chosen = int.Parse(_registry.Address.Split(':')[1], CultureInfo.InvariantCulture);
            Assert.InRange(chosen, TestRegistry.FirstPort + 8, TestRegistry.LastPort);
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://{_registry.Address}/v2/")).StatusCode);
        }
        finally
        {
            held.ForEach(socket => socket.Dispose());
        }
    }

    private async Task<PushedImage> PushAsync(string image, string? authFile = null)
    {
        // Recorded before the push: the tag exists once `podman tag` ran, even when the push then fails.
        _references.Add(_registry!.Reference(_name));
        return await _registry.PushAsync(image, _name, authFile);
    }

    private static Task<CliResult> Podman(params string[] arguments) => PodwakeCli.RunProgramAsync("podman", arguments);

    private static async Task<string> ImageIdAsync(string reference)
    {
        var result = await Podman("image", "inspect", "--format", "{{.Id}}", reference);
        Assert.True(result.ExitCode == 0, $"podman image inspect {reference} failed: {result}");
        return result.Stdout.Trim();
    }

    /// <summary>The registry's own word on the tag's manifest digest (a HEAD of the manifest, as `update` asks).</summary>
    private static async Task<string?> ManifestDigestAsync(TestRegistry registry, string nameAndTag)
    {
        var (name, tag) = (nameAndTag.Split(':')[0], nameAndTag.Split(':')[1]);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{registry.Address}/v2/{name}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"HEAD manifest answered {(int)response.StatusCode}");
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : null;
    }
}
