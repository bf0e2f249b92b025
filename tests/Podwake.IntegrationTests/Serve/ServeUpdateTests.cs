using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// <c>podwake update</c> of a real <c>podwake serve</c> against a real registry (Debian's docker-registry started by the
/// test), real podman, real clients: versions v1, v2 and a broken v3 (runs, never listens) of a busybox page pushed
/// with <c>podman push</c>. A running service switches under a client loop with no failed request; a dormant one is
/// proved and stays dormant; a broken version rolls back; a dry run changes nothing; a registry that is away or
/// refuses the credentials is exit 2 with one line.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ServeUpdateTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly string _unique = TestNames.Unique();
    private readonly List<string> _localTags = [];
    private string _v1 = "";
    private string _v2 = "";
    private string _v3 = "";

    public async Task InitializeAsync()
    {
        _v1 = await BuildAsync("v1");
        _v2 = await BuildAsync("v2");
        _v3 = await BuildAsync("v3", neverReady: true);
    }

    public async Task DisposeAsync()
    {
        foreach (var tag in _localTags)
        {
            await TestRegistry.RemoveLocalAsync(tag);
        }

        _dir.Dispose();
    }

    [RegistryFact]
    public async Task Running_UnderAClientLoop_SwitchesToV2WithNoFailedRequest_ThenABrokenV3RollsBack()
    {
        await using var registry = await TestRegistry.StartAsync();
        var (service, reference) = await ServiceOnAsync(registry);
        var v1 = await PushAsync(registry, _v1);
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        Assert.Contains(Page("v1"), (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);

        await using var loop = new VersionLoop(service.Endpoint, Page("v1"), Page("v2"));
        await Task.Delay(1000);
        var v2 = await PushAsync(registry, _v2);
        var update = await PodwakeCli.RunAsync("update", service.Name);
        await Task.Delay(1000);

        Assert.True(update.ExitCode == 0, update.ToString());
        AssertSays(update, $"{service.Name}: updated {reference}@{v1.Digest} -> {v2.Digest}");
        Assert.Equal(Page("v2"), loop.Versions[^1]);
        Assert.Equal(Page("v1"), loop.Versions[0]);
        Assert.Empty(loop.Failures);

        // A broken v3: not ready within ready.timeout, removed; v2 answers throughout.
        await PushAsync(registry, _v3);
        var rollback = await PodwakeCli.RunAsync("update", service.Name);
        await Task.Delay(500);
        await loop.StopAsync();

        Assert.True(rollback.ExitCode == 3, rollback.ToString());
        AssertSays(rollback, $"{service.Name}: rolled back: the new image {reference}@");
        Assert.Empty(loop.Failures);
        Assert.True(loop.Rate >= 20, $"the client loop ran at {loop.Rate:F1} requests/s: {loop}");
        Assert.DoesNotContain(Page("v1"), loop.Versions.SkipWhile(v => v == Page("v1")));
        Assert.Equal(Page("v2"), loop.Versions[^1]);
        var status = await serve.ServiceStatusAsync(service.Name);
        Assert.Equal("rolled-back", status.GetProperty("last_update").GetProperty("outcome").GetString());
        Assert.Equal(v2.Digest, status.GetProperty("image_digest").GetString());
        await AssertOnlyTheServicesContainerAsync(service);
    }

    [RegistryFact]
    public async Task Dormant_V2_IsProvedWithNoWake_TheNextRequestIsV2_ABrokenV3RollsBackAndV2StillWakes()
    {
        await using var registry = await TestRegistry.StartAsync();
        var (service, _) = await ServiceOnAsync(registry, idle: "2s");
        await PushAsync(registry, _v1);
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        var v2 = await PushAsync(registry, _v2);

        var update = await PodwakeCli.RunAsync("update", service.Name, "--json");

        Assert.True(update.ExitCode == 0, update.ToString());
        var result = JsonDocument.Parse(update.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("updated", result.GetProperty("outcome").GetString());
        Assert.Equal(v2.Digest, result.GetProperty("to").GetString());
        var status = await serve.ServiceStatusAsync(service.Name);
        Assert.Equal("dormant", status.GetProperty("state").GetString());
        Assert.Equal(0, status.GetProperty("wakes").GetInt64());
        Assert.Contains(Page("v2"), (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);

        // Back to dormant, then a broken v3: the proof fails, v2 stays and still wakes.
        await WaitDormantAsync(serve, service);
        await PushAsync(registry, _v3);
        var rollback = await PodwakeCli.RunAsync("update", service.Name);

        Assert.True(rollback.ExitCode == 3, rollback.ToString());
        Assert.Contains("rolled back", rollback.Stdout, StringComparison.Ordinal);
        Assert.Equal("dormant", (await serve.ServiceStatusAsync(service.Name)).GetProperty("state").GetString());
        Assert.Contains(Page("v2"), (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);
        Assert.Equal("rolled-back", (await serve.ServiceStatusAsync(service.Name)).GetProperty("last_update").GetProperty("outcome").GetString());
        await AssertOnlyTheServicesContainerAsync(service);
    }

    [RegistryFact]
    public async Task DryRun_SaysWhatWouldChange_AndChangesNothing()
    {
        await using var registry = await TestRegistry.StartAsync();
        var (service, reference) = await ServiceOnAsync(registry);
        var v1 = await PushAsync(registry, _v1);
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        var v2 = await PushAsync(registry, _v2);
        var imageBefore = await ContainerImageAsync(service.Container);

        // Named: without names, update covers every service on the host, including the other test classes' ones
        // that run beside this one (a deployed update: local service whose image a test has just removed fails there).
        var dryRun = await PodwakeCli.RunAsync("update", service.Name, "--dry-run");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        AssertSays(dryRun, $"{service.Name}: would update {reference}@{v1.Digest} -> {v2.Digest} (dry run: nothing changed)");
        Assert.Equal(imageBefore, await ContainerImageAsync(service.Container));
        Assert.Equal(imageBefore, await ImageIdAsync(reference));
        Assert.Contains(Page("v1"), (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);
    }

    [RegistryFact]
    public async Task UnreachableRegistry_IsOneLineAndExitTwo_AndChangesNothing()
    {
        var registry = await TestRegistry.StartAsync();
        var (service, _) = await ServiceOnAsync(registry);
        await PushAsync(registry, _v1);
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        var imageBefore = await ContainerImageAsync(service.Container);
        var address = registry.Address;
        await registry.DisposeAsync();

        var update = await PodwakeCli.RunAsync("update", service.Name);

        Assert.True(update.ExitCode == 2, update.ToString());
        var line = Assert.Single(update.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{service.Name}: failed: registry {address} is unreachable (", line, StringComparison.Ordinal);
        Assert.Equal(imageBefore, await ContainerImageAsync(service.Container));
        Assert.Contains(Page("v1"), (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);
    }

    [RegistryFact]
    public async Task BasicAuthRegistry_CredentialsFromPodmanLogin_Update_AndWrongOnesAreExitTwo()
    {
        await using var registry = await TestRegistry.StartAsync("podwake", "s3cret-pass");
        var authFile = Path.Join(_dir.Path, "auth.json");
        await registry.LoginAsync(authFile);
        var (service, reference) = await ServiceOnAsync(registry);
        await PushAsync(registry, _v1, authFile: authFile);
        var environment = new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = authFile };
        await using (var serve = await ServeProcess.StartServingAsync(environment, service.File))
        {
            var v2 = await PushAsync(registry, _v2, authFile: authFile);

            var update = await PodwakeCli.RunAsync("update", service.Name);

            Assert.True(update.ExitCode == 0, update.ToString());
            AssertSays(update, $"-> {v2.Digest}");
            Assert.Contains(Page("v2"), (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);
        }

        var wrong = Path.Join(_dir.Path, "wrong.json");
        var wrongAuth = Convert.ToBase64String("podwake:wrong"u8.ToArray());
        await File.WriteAllTextAsync(wrong, "{\"auths\": {\"" + registry.Address + "\": {\"auth\": \"" + wrongAuth + "\"}}}");
        await using var refused = await ServeProcess.StartServingAsync(new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = wrong }, service.File);
        var denied = await PodwakeCli.RunAsync("update", service.Name);

        Assert.True(denied.ExitCode == 2, denied.ToString());
        var line = Assert.Single(denied.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{service.Name}: failed: registry {registry.Address} refused the credentials of {wrong}", line, StringComparison.Ordinal);
    }

    private static void AssertSays(CliResult result, string expected) =>
        Assert.True(result.Stdout.Contains(expected, StringComparison.Ordinal), $"expected: {expected}\n{result}");

    private string Page(string version) => $"{_unique} {version}";

    private async Task<string> BuildAsync(string version, bool neverReady = false)
    {
        var tag = $"localhost/{_unique}-{version}:1";
        _localTags.Add(tag);
        return await TestImages.BuildPageAsync(tag, Page(version), neverReady);
    }

    private async Task<(TestServiceFile Service, string Reference)> ServiceOnAsync(TestRegistry registry, string idle = "30s")
    {
        var reference = registry.Reference($"{_unique}:1");
        _localTags.Add(reference);
        var service = TestServiceFile.Create(_dir.Path, idle: idle, readyTimeout: "5s", image: reference, extra: "update: registry");
        return (service, reference);
    }

    /// <summary>Pushes as the service's tag; the host's tag stays where it was (<see cref="TestRegistry.PushAsHostAsync"/>).</summary>
    private async Task<PushedImage> PushAsync(TestRegistry registry, string local, string? authFile = null) =>
        await registry.PushAsHostAsync(local, $"{_unique}:1", authFile);

    private static async Task<string> ContainerImageAsync(string container) =>
        (await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.Image}}", container)).Stdout.Trim();

    private static async Task<string> ImageIdAsync(string reference) =>
        (await PodwakeCli.RunProgramAsync("podman", "image", "inspect", "--format", "{{.Id}}", reference)).Stdout.Trim();

    private static async Task WaitDormantAsync(ServeProcess serve, TestServiceFile service)
    {
        await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(service.Name)).GetProperty("state").GetString() == "dormant", TimeSpan.FromSeconds(30));
    }

    /// <summary>After an update the service has one container, under its own name: no -next left.</summary>
    private static async Task AssertOnlyTheServicesContainerAsync(TestServiceFile service)
    {
        var names = (await PodwakeCli.RunProgramAsync("podman", "ps", "-a", "--format", "{{.Names}}", "--filter", $"name={service.Container}")).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([service.Container], names);
    }
}
