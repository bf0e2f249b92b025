using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Podwake.Updates;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.IntegrationTests.Updates;

/// <summary>
/// The registry check against Debian's real docker-registry (<see cref="TestRegistry"/>), plain HTTP on loopback: found
/// insecure only through this host's registries.conf.d drop-in (scripts/setup-dev), read as podwake reads it for the user
/// the tests run as. Every digest is compared with what podman itself pushed or pulled.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class RegistryClientTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private readonly List<string> _references = [];
    private readonly List<string> _manifests = [];
    private readonly TempDirectory _temp = new();
    private readonly string _name = TestNames.Unique();
    private TestRegistry? _registry;

    public RegistryClientTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var manifest in _manifests)
        {
            await Podman("manifest", "rm", manifest);
        }

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
    public async Task PushedTag_DigestIsWhatPodmanPushedAndPulls()
    {
        _registry = await TestRegistry.StartAsync();
        var pushed = await PushAsync(await TestImages.BusyboxAsync(), "v1");

        var stopwatch = Stopwatch.StartNew();
        var digest = await CheckAsync(pushed.Reference);
        _output.WriteLine($"first check (a new client, HTTPS tried first, then HTTP): {stopwatch.Elapsed.TotalMilliseconds:0.0} ms");
        stopwatch.Restart();
        await CheckAsync(pushed.Reference);
        _output.WriteLine($"second check (a new client again): {stopwatch.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Equal(pushed.Digest, digest);
        await TestRegistry.RemoveLocalAsync(pushed.Reference);
        var pull = await Podman("pull", pushed.Reference);
        Assert.True(pull.ExitCode == 0, $"podman pull failed: {pull}");
        // The pulled image is the local one (same ID), so its .Digest stays the build's: the pull records the registry's
        // digest among RepoDigests, as podman's auto-update compares it.
        var inspect = await Podman("image", "inspect", "--format", "{{range .RepoDigests}}{{.}} {{end}}", pushed.Reference);
        Assert.Contains($"{_registry.Address}/{_name}@{digest}", inspect.Stdout.Split(' '));
    }

    [RegistryFact]
    public async Task TagPushedAgainWithAnotherImage_GivesTheNewDigest()
    {
        _registry = await TestRegistry.StartAsync();
        var first = await PushAsync(await TestImages.BusyboxAsync(), "v1");
        Assert.Equal(first.Digest, await CheckAsync(first.Reference));

        var second = await PushAsync(await TestImages.UdpEchoAsync(), "v1");

        Assert.NotEqual(first.Digest, second.Digest);
        Assert.Equal(second.Digest, await CheckAsync(second.Reference));
    }

    [RegistryFact]
    public async Task MissingTag_IsNotFound()
    {
        _registry = await TestRegistry.StartAsync();
        await PushAsync(await TestImages.BusyboxAsync(), "v1");
        var missing = _registry.Reference($"{_name}:v9");

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(missing));

        Assert.Equal(ImagePullFailure.NotFound, e.Failure);
        Assert.Equal($"{missing}: no such tag in the registry", e.Message);
    }

    [RegistryFact]
    public async Task StoppedRegistry_IsUnreachable()
    {
        _registry = await TestRegistry.StartAsync();
        var pushed = await PushAsync(await TestImages.BusyboxAsync(), "v1");
        await _registry.DisposeAsync();
        _registry = null;

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(pushed.Reference));

        Assert.Equal(ImagePullFailure.Unreachable, e.Failure);
        Assert.Equal($"registry {ImagePullErrors.Registry(pushed.Reference)} is unreachable (connection refused)", e.Message);
    }

    [RegistryFact]
    public async Task ClosedPort_IsUnreachable()
    {
        // A port of the insecure range bound but never listening: refused over HTTPS, then over HTTP, as podman would try.
        using var socket = BindFreePortOfTheRange();
        var address = $"127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}";
        var stopwatch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync($"{address}/{_name}:v1"));

        _output.WriteLine($"refused check: {stopwatch.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.Equal(ImagePullFailure.Unreachable, e.Failure);
        Assert.Equal(address, e.Registry);
        Assert.Equal($"registry {address} is unreachable (connection refused)", e.Message);
    }

    [RegistryFact]
    public async Task BasicAuthRegistry_WithPodmanLoginsAuthFile_Works()
    {
        _registry = await TestRegistry.StartAsync("podwake", "s3cret-test");
        var authFile = Path.Join(_temp.Path, "auth.json");
        await _registry.LoginAsync(authFile);
        var pushed = await PushAsync(await TestImages.BusyboxAsync(), "v1", authFile);

        Assert.Equal(pushed.Digest, await CheckAsync(pushed.Reference, authFile));
    }

    [RegistryFact]
    public async Task BasicAuthRegistry_WithWrongCredentials_IsUnauthorizedNamingTheFile()
    {
        _registry = await TestRegistry.StartAsync("podwake", "s3cret-test");
        var authFile = Path.Join(_temp.Path, "auth.json");
        await _registry.LoginAsync(authFile);
        var pushed = await PushAsync(await TestImages.BusyboxAsync(), "v1", authFile);
        var wrongAuth = Convert.ToBase64String(Encoding.UTF8.GetBytes("podwake:wrong"));
        var wrong = _temp.Write("wrong.json", "{\"auths\": {\"" + _registry.Address + "\": {\"auth\": \"" + wrongAuth + "\"}}}");

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(pushed.Reference, wrong));

        Assert.Equal(ImagePullFailure.Unauthorized, e.Failure);
        Assert.Equal(
            $"registry {_registry.Address} refused the credentials of {wrong} (401 Unauthorized); run podman login {_registry.Address}",
            e.Message);
    }

    [RegistryFact]
    public async Task BasicAuthRegistry_WithoutCredentials_IsUnauthorized()
    {
        _registry = await TestRegistry.StartAsync("podwake", "s3cret-test");
        var authFile = Path.Join(_temp.Path, "auth.json");
        await _registry.LoginAsync(authFile);
        var pushed = await PushAsync(await TestImages.BusyboxAsync(), "v1", authFile);
        var empty = _temp.Write("empty.json", "{}");

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(pushed.Reference, empty));

        Assert.Equal(ImagePullFailure.Unauthorized, e.Failure);
        Assert.Contains($"none are in {empty}", e.Message, StringComparison.Ordinal);
    }

    [RegistryFact]
    public async Task MultiArchIndex_GivesTheIndexDigest()
    {
        _registry = await TestRegistry.StartAsync();
        var reference = _registry.Reference($"{_name}:multi");
        var list = $"localhost/{_name}-list:multi";
        await PodmanOrFailAsync("manifest", "create", list);
        _manifests.Add(list);
        await PodmanOrFailAsync("manifest", "add", "--arch", "amd64", list, "containers-storage:" + await TestImages.BusyboxAsync());
        await PodmanOrFailAsync("manifest", "add", "--arch", "arm64", list, "containers-storage:" + await TestImages.UdpEchoAsync());
        var digestFile = Path.Join(_temp.Path, "index-digest");
        await PodmanOrFailAsync("manifest", "push", "--all", "--digestfile", digestFile, list, "docker://" + reference);
        var indexDigest = (await File.ReadAllTextAsync(digestFile)).Trim();

        var digest = await CheckAsync(reference);

        Assert.Equal(indexDigest, digest);
        var inspect = await Podman("manifest", "inspect", reference);
        Assert.True(inspect.ExitCode == 0, $"podman manifest inspect failed: {inspect}");
        Assert.Contains("\"arm64\"", inspect.Stdout, StringComparison.Ordinal); // the registry holds an index, not one image
    }

    private static async Task<string> CheckAsync(string reference, string? authFile = null)
    {
        var paths = RegistryAccessPaths.FromEnvironment();
        using var client = new RegistryClient(RegistryAccess.Load(authFile is null ? paths : paths with { AuthFile = authFile }), TimeProvider.System);
        return await client.GetDigestAsync(reference, CancellationToken.None);
    }

    private async Task<PushedImage> PushAsync(string image, string tag, string? authFile = null)
    {
        _references.Add(_registry!.Reference($"{_name}:{tag}"));
        return await _registry.PushAsync(image, $"{_name}:{tag}", authFile);
    }

    private static Socket BindFreePortOfTheRange()
    {
        for (var port = TestRegistry.LastPort; port >= TestRegistry.FirstPort; port--)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        throw new InvalidOperationException($"every port of 127.0.0.1:{TestRegistry.FirstPort}-{TestRegistry.LastPort} is taken");
    }

    private static Task<CliResult> Podman(params string[] arguments) => PodwakeCli.RunProgramAsync("podman", arguments);

    private static async Task PodmanOrFailAsync(params string[] arguments)
    {
        var result = await Podman(arguments);
        Assert.True(result.ExitCode == 0, $"podman {string.Join(' ', arguments)} failed: {result}");
    }
}
