using System.Diagnostics;
using System.Text.Json;
using Podwake.Deploy;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Updates;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// <c>podwake update</c> of deployed services (<see cref="DeployedUpdater"/>, called as the CLI calls it) with
/// <c>update: local</c>: a second image tagged over the service's tag is the new one. Real podman and the real systemd
/// user manager of whoever runs the tests (root or the rootless test user).
/// </summary>
public sealed class DeployedUpdateTests : IAsyncDisposable
{
    /// <summary>Every image a test built, by ID: a tag moved to a newer image leaves the older one untagged.</summary>
    private readonly List<string> _images = [];

    public async ValueTask DisposeAsync()
    {
        if (_images.Count > 0)
        {
            await PodwakeCli.RunProgramAsync("podman", ["rmi", "--force", "--ignore", .. _images]);
        }
    }

    [UserManagerFact]
    public async Task DormantService_NewLocalImage_SwappedWithoutWake_NextRequestAnsweredByIt()
    {
        await using var service = new DeployedService();
        var tag = $"localhost/{service.Name}:1";
        try
        {
            await BuildAsync(tag, "v1");
            service.WriteYaml($"image: {tag}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 1s\nready: {{tcp: 8080, timeout: 20s}}\nupdate: local\n");
            Assert.True((await PodwakeCli.RunAsync("deploy", service.File)).ExitCode == 0);
            Assert.Equal("v1", await PageAsync(service));
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");
            var activatorStarts = await StartsAsync(service);
            var oldId = await service.ContainerIdAsync();

            await BuildAsync(tag, "v2");
            var dryRun = await UpdateAsync(service, dryRun: true);
            Assert.Equal(UpdateOutcome.WouldUpdate, dryRun.Outcome);
            Assert.Equal(oldId, await service.ContainerIdAsync());

            var clock = Stopwatch.StartNew();
            var result = await UpdateAsync(service);
            var took = clock.Elapsed;

            Assert.True(result.Outcome == UpdateOutcome.Updated, result.ToLine());
            Assert.Equal(activatorStarts, await StartsAsync(service));
            Assert.NotEqual(oldId, await service.ContainerIdAsync());
            Assert.Equal("v2", await PageAsync(service));
            Assert.Equal(UpdateOutcome.UpToDate, (await UpdateAsync(service)).Outcome);
            Assert.Equal(UpdateOutcome.UpToDate, LastUpdateRecord.Read(Paths(), service.Name)?.Outcome);
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");
            var status = await StatusAsync(service);
            Assert.Equal("up-to-date", status.GetProperty("last_update").GetProperty("outcome").GetString());
            Assert.StartsWith("sha256:", status.GetProperty("image_digest").GetString(), StringComparison.Ordinal);
            Assert.Equal(tag, status.GetProperty("image").GetString());
            Console.WriteLine($"dormant update took {took.TotalMilliseconds:0} ms");
        }
        finally
        {
            await service.PodmanAsync("rmi", "--force", tag);
        }
    }

    [UserManagerFact]
    public async Task DormantService_V2PushedToARealRegistry_PulledAndSwappedIn_UnreachableRegistryChangesNothing()
    {
        if (!PodmanAvailability.IsCi && RegistryAvailability.SkipReason is not null)
        {
            return; // no docker-registry here (outside CI only; CI requires it)
        }

        await using var service = new DeployedService();
        var registry = await TestRegistry.StartAsync();
        var registryStopped = false;
        string? reference = null;
        try
        {
            await BuildAsync($"localhost/{service.Name}-v1:1", "v1");
            await BuildAsync($"localhost/{service.Name}-v2:1", "v2");
            reference = (await registry.PushAsync($"localhost/{service.Name}-v1:1", $"{service.Name}:1")).Reference;
            service.WriteYaml($"image: {reference}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 1s\nready: {{tcp: 8080, timeout: 20s}}\nupdate: registry\n");
            Assert.True((await PodwakeCli.RunAsync("deploy", service.File)).ExitCode == 0);
            Assert.Equal("v1", await PageAsync(service));
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");
            Assert.Equal(UpdateOutcome.UpToDate, (await UpdateAsync(service)).Outcome);

            // v2 pushed from elsewhere: here only the registry has it.
            var v2 = await registry.PushAsync($"localhost/{service.Name}-v2:1", $"{service.Name}:1");
            await service.PodmanAsync("tag", $"localhost/{service.Name}-v1:1", reference);
            var dryRun = await UpdateAsync(service, dryRun: true);
            Assert.True(dryRun.Outcome == UpdateOutcome.WouldUpdate, dryRun.ToLine());
            Assert.Equal(v2.Digest, dryRun.To);

            var result = await UpdateAsync(service);

            Assert.True(result.Outcome == UpdateOutcome.Updated, result.ToLine());
            Assert.Equal(v2.Digest, result.To);
            Assert.Equal("v2", await PageAsync(service));

            await registry.DisposeAsync();
            registryStopped = true;
            var id = await service.ContainerIdAsync();
            var unreachable = await UpdateAsync(service);
            Assert.True(unreachable.Outcome == UpdateOutcome.Failed, unreachable.ToLine());
            Assert.Equal(id, await service.ContainerIdAsync());
        }
        finally
        {
            if (!registryStopped)
            {
                await registry.DisposeAsync();
            }

            await service.PodmanAsync("rmi", "--force", $"localhost/{service.Name}-v1:1", $"localhost/{service.Name}-v2:1");
            if (reference is not null)
            {
                // The tag, and the image pulled by digest (untagged until it proved ready, then the tag's).
                var repository = reference[..reference.LastIndexOf(':')];
                var pulled = await service.PodmanAsync("images", "--filter", $"reference={repository}", "--format", "{{.ID}}");
                await service.PodmanAsync(["rmi", "--force", "--ignore", reference, .. pulled.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
            }
        }
    }

    [UserManagerFact]
    public async Task DormantService_BrokenNewImage_RolledBack_OldStillAnswers()
    {
        await using var service = new DeployedService();
        var tag = $"localhost/{service.Name}:1";
        try
        {
            await BuildAsync(tag, "v1");
            service.WriteYaml($"image: {tag}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 1s\nready: {{tcp: 8080, timeout: 5s}}\nupdate: local\n");
            Assert.True((await PodwakeCli.RunAsync("deploy", service.File)).ExitCode == 0);
            Assert.Equal("v1", await PageAsync(service));
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");
            var oldId = await service.ContainerIdAsync();

            await BuildAsync(tag, "broken", command: "[\"/bin/busybox\", \"sh\", \"-c\", \"echo broken on purpose; exit 3\"]");
            var result = await UpdateAsync(service);

            Assert.True(result.Outcome == UpdateOutcome.RolledBack, result.ToLine());
            Assert.Contains("broken on purpose", result.Reason, StringComparison.Ordinal);
            Assert.Equal(oldId, await service.ContainerIdAsync());
            Assert.Equal(
                (await service.PodmanAsync("container", "inspect", "--format", "{{.Image}}", service.ContainerName)).Stdout.Trim(),
                (await service.PodmanAsync("image", "inspect", "--format", "{{.Id}}", tag)).Stdout.Trim());
            Assert.Equal("v1", await PageAsync(service));
            Assert.Equal(UpdateOutcome.RolledBack, LastUpdateRecord.Read(Paths(), service.Name)?.Outcome);
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");
            Assert.Equal("rolled-back", (await StatusAsync(service)).GetProperty("last_update").GetProperty("outcome").GetString());
            Assert.NotEqual(0, (await service.PodmanAsync("container", "exists", $"{service.ContainerName}-next")).ExitCode);
        }
        finally
        {
            await service.PodmanAsync("rmi", "--force", tag);
        }
    }

    [UserManagerFact]
    public async Task RunningService_NewLocalImage_ClientLoopSwitchesWithNoFailedRequest()
    {
        await using var service = new DeployedService();
        var tag = $"localhost/{service.Name}:1";
        try
        {
            await BuildAsync(tag, "v1");
            service.WriteYaml($"image: {tag}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 30s\nready: {{tcp: 8080, timeout: 20s}}\nupdate: local\n");
            Assert.True((await PodwakeCli.RunAsync("deploy", service.File)).ExitCode == 0);
            Assert.Equal("v1", await PageAsync(service));
            await BuildAsync(tag, "v2");

            var bodies = new List<string>();
            using var stop = new CancellationTokenSource();
            var loop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var response = await RawHttp.GetAsync(service.Endpoint, timeout: TimeSpan.FromSeconds(30));
                    lock (bodies)
                    {
                        bodies.Add(response.Kind == HttpOutcomeKind.Response && response.Status == 200 ? Page(response.Body) : $"failed: {response}");
                    }

                    await Task.Delay(10); // about 50 requests a second, one after another
                }
            });
            await Task.Delay(500);
            var clock = Stopwatch.StartNew();
            var result = await UpdateAsync(service);
            var took = clock.Elapsed;
            await Task.Delay(1000);
            await stop.CancelAsync();
            await loop;

            Assert.True(result.Outcome == UpdateOutcome.Updated, result.ToLine());
            Assert.DoesNotContain(bodies, b => b.StartsWith("failed", StringComparison.Ordinal));
            var firstV2 = bodies.IndexOf("v2");
            Assert.True(firstV2 > 0, string.Join(",", bodies));
            Assert.All(bodies.Take(firstV2), b => Assert.Equal("v1", b));
            Assert.All(bodies.Skip(firstV2), b => Assert.Equal("v2", b));
            Assert.True(bodies.Count / (took.TotalSeconds + 1.5) >= 20, $"{bodies.Count} requests in {took.TotalSeconds + 1.5:0.0} s");
            Console.WriteLine($"running update took {took.TotalMilliseconds:0} ms; {bodies.Count} requests, {bodies.Count - firstV2} answered by v2");

            var status = await StatusAsync(service);
            Assert.Equal("ready", status.GetProperty("state").GetString());
            Assert.Equal("updated", status.GetProperty("last_update").GetProperty("outcome").GetString());

            // The next wake, through the container unit, starts the new image.
            await DeployedService.SystemctlAsync("stop", $"podwake-{service.Name}.service");
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");
            Assert.Equal("v2", await PageAsync(service));
        }
        finally
        {
            await service.PodmanAsync("rmi", "--force", tag);
        }
    }

    [UserManagerFact]
    public async Task ImageRemovedBehindPodwakesBack_WakeFailsNamingIt_UpdateRestoresTheService()
    {
        await using var service = new DeployedService();
        var tag = $"localhost/{service.Name}:1";
        try
        {
            await BuildAsync(tag, "v1");
            service.WriteYaml($"image: {tag}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 1s\nready: {{tcp: 8080, timeout: 20s}}\nupdate: local\n");
            Assert.True((await PodwakeCli.RunAsync("deploy", service.File)).ExitCode == 0);
            Assert.Equal("v1", await PageAsync(service));
            Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");

            // podman rmi -f takes the container with it.
            Assert.Equal(0, (await service.PodmanAsync("rmi", "--force", tag)).ExitCode);
            var woken = await RawHttp.GetAsync(service.Endpoint, timeout: TimeSpan.FromSeconds(30));
            Assert.NotEqual(HttpOutcomeKind.Response, woken.Kind);
            var error = (await StatusAsync(service)).GetProperty("last_error").GetString();
            Assert.Contains($"its image {tag} is no longer in podman's local storage", error, StringComparison.Ordinal);
            Assert.Contains("podwake update", error, StringComparison.Ordinal);

            await BuildAsync(tag, "v2");
            var result = await UpdateAsync(service);

            Assert.True(result.Outcome == UpdateOutcome.Updated, result.ToLine());
            Assert.NotNull(await service.ContainerIdAsync());
            Assert.Equal("v2", await PageAsync(service));
        }
        finally
        {
            await service.PodmanAsync("rmi", "--force", tag);
        }
    }

    /// <summary>Root updates a <c>user:</c> service in that user's store and manager (podman as the user, files theirs).</summary>
    [UserManagerFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task UserService_AsRoot_NewLocalImageInTheUsersStore_Updated()
    {
        var user = "pwit" + Guid.NewGuid().ToString("N")[..8];
        await using var service = new DeployedService(user);
        var tag = $"localhost/{service.Name}:1";
        var body = $"run_as: {user}\nimage: {tag}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 1s\nready: {{tcp: 8080, timeout: 20s}}\n";

        // The first deploy creates the user and builds the image in their store; then the file says update: local.
        service.WriteYaml(body + "build: .\n");
        await service.DeployOrFailAsync();
        service.WriteYaml(body + "update: local\n");
        await service.DeployOrFailAsync();
        Assert.Equal(TestImages.PageText, await PageAsync(service));
        Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(20)), "not dormant");

        File.WriteAllText(Path.Combine(service.Directory, "www", "index.html"), "v2\n");
        var built = await service.PodmanAsync("build", "-t", tag, service.Directory);
        Assert.True(built.ExitCode == 0, built.ToString());
        var result = await UpdateAsync(service);

        Assert.True(result.Outcome == UpdateOutcome.Updated, result.ToLine());
        Assert.Equal("v2", await PageAsync(service));
        var uid = (await PodwakeCli.RunProgramAsync("id", "-u", user)).Stdout.Trim();
        var record = new FileInfo($"/run/user/{uid}/podwake/update-{service.Name}.json");
        Assert.True(record.Exists, "no update record in the user's runtime directory");
        Assert.Equal(uid, (await PodwakeCli.RunProgramAsync("stat", "-c", "%u", record.FullName)).Stdout.Trim());
    }

    [UserManagerFact]
    public async Task DeployWithUpdateSet_InstallsTheTimer_IntervalKept_UndeployRemovesIt()
    {
        var timer = Path.Combine(UnitDirectory, "podwake-update.timer");
        var service = new DeployedService();
        await using (service)
        {
            service.Write(extra: "update: local\n");
            await TestImages.BusyboxAsync();
            var deployed = await PodwakeCli.RunAsync("deploy", "--update-interval=6h", service.File);
            Assert.True(deployed.ExitCode == 0, deployed.ToString());

            Assert.Contains("OnUnitActiveSec=6h", File.ReadAllText(timer), StringComparison.Ordinal);
            Assert.Equal("active", await DeployedService.ActiveStateAsync("podwake-update.timer"));
            Assert.Equal("enabled", (await DeployedService.SystemctlAsync("is-enabled", "podwake-update.timer")).Stdout.Trim());
            var service2 = await DeployedService.SystemctlAsync("show", "--property=Type", "--value", "podwake-update.service");
            Assert.Equal("oneshot", service2.Stdout.Trim());

            // A redeploy without --update-interval keeps the interval.
            Assert.Equal(0, (await PodwakeCli.RunAsync("deploy", service.File)).ExitCode);
            Assert.Contains("OnUnitActiveSec=6h", File.ReadAllText(timer), StringComparison.Ordinal);

            var bad = await PodwakeCli.RunAsync("deploy", "--update-interval=soon", service.File);
            Assert.Equal(1, bad.ExitCode);
        }

        // Unless another test (or a bench) deployed one with update: set into this manager meanwhile.
        var specCopies = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(UnitDirectory)!)!, "podwake", "services");
        if (!Directory.Exists(specCopies) || !Directory.EnumerateFiles(specCopies, "*.yaml").Any(f => File.ReadAllText(f).Contains("update:", StringComparison.Ordinal)))
        {
            Assert.False(File.Exists(timer), "the timer outlived the last service with update: set");
            Assert.Equal("inactive", await DeployedService.ActiveStateAsync("podwake-update.timer"));
        }
    }

    private static string UnitDirectory => Environment.IsPrivilegedProcess
        ? "/root/.config/systemd/user"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "systemd", "user");

    /// <summary>The service's entry in <c>podwake status --json</c>.</summary>
    private static async Task<JsonElement> StatusAsync(DeployedService service)
    {
        var result = await PodwakeCli.RunAsync("status", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray())
            .Single(s => s.GetProperty("name").GetString() == service.Name).Clone();
    }

    [UserManagerFact]
    public async Task RunningService_BrokenNewImage_RolledBackUnderAClientLoop_NoFailedRequest()
    {
        await using var service = new DeployedService();
        var tag = $"localhost/{service.Name}:1";
        await BuildAsync(tag, "v1");
        service.WriteYaml($"image: {tag}\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: 30s\nready: {{tcp: 8080, timeout: 3s}}\nupdate: local\n");
        Assert.True((await PodwakeCli.RunAsync("deploy", service.File)).ExitCode == 0);
        Assert.Equal("v1", await PageAsync(service));
        var oldImage = (await service.PodmanAsync("image", "inspect", "--format", "{{.Id}}", tag)).Stdout.Trim();

        // Never ready: it runs but listens on no port.
        await BuildAsync(tag, "broken", command: "[\"/bin/busybox\", \"sleep\", \"3600\"]");
        var bodies = new List<string>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await RawHttp.GetAsync(service.Endpoint, timeout: TimeSpan.FromSeconds(30));
                lock (bodies)
                {
                    bodies.Add(response.Kind == HttpOutcomeKind.Response && response.Status == 200 ? Page(response.Body) : $"failed: {response}");
                }

                await Task.Delay(10);
            }
        });
        await Task.Delay(300);
        var result = await UpdateAsync(service);
        await Task.Delay(500);
        await stop.CancelAsync();
        await loop;

        Assert.True(result.Outcome == UpdateOutcome.RolledBack, result.ToLine());
        Assert.Contains("not ready within 3s", result.Reason, StringComparison.Ordinal);
        Assert.True(bodies.Count > 50, $"{bodies.Count} requests");
        Assert.All(bodies, b => Assert.Equal("v1", b));
        Assert.Equal(oldImage, (await service.PodmanAsync("image", "inspect", "--format", "{{.Id}}", tag)).Stdout.Trim());
        Assert.NotEqual(0, (await service.PodmanAsync("container", "exists", $"{service.ContainerName}-next")).ExitCode);
        Assert.Equal("rolled-back", (await StatusAsync(service)).GetProperty("last_update").GetProperty("outcome").GetString());
    }

    private static Host.RuntimePaths Paths() => Host.RuntimePaths.FromEnvironment();

    /// <summary><c>podwake update NAME [--dry-run] --json</c>, the real CLI: its one result for the service.</summary>
    private static async Task<UpdateResult> UpdateAsync(DeployedService service, bool dryRun = false)
    {
        var cli = await PodwakeCli.RunAsync(["update", service.Name, "--json", .. (dryRun ? (string[])["--dry-run"] : [])]);
        var results = System.Text.Json.JsonSerializer.Deserialize(cli.Stdout, Control.ControlJsonContext.Default.ListUpdateResult);
        Assert.True(results is { Count: 1 }, cli.ToString());
        var result = results![0];
        Assert.Equal(result.Outcome switch
        {
            UpdateOutcome.Failed => 2,
            UpdateOutcome.RolledBack => 3,
            UpdateOutcome.Skipped => 1,
            _ => 0,
        }, cli.ExitCode);
        return result;
    }

    private static async Task<string> PageAsync(DeployedService service)
    {
        var response = await RawHttp.GetAsync(service.Endpoint, timeout: TimeSpan.FromSeconds(30));
        Assert.True(response.Status == 200, response.ToString());
        return Page(response.Body);
    }

    private static string Page(string body) => body.Trim();

    /// <summary>How often the service's activator was started (its unit's NRestarts does not count socket starts).</summary>
    private static async Task<string> StartsAsync(DeployedService service) =>
        (await DeployedService.SystemctlAsync("show", "--property=InvocationID", "--value", $"podwake-{service.Name}.service")).Stdout.Trim();

    /// <summary>The test image with <paramref name="page"/> as its page, tagged <paramref name="tag"/> (over an older one).</summary>
    private async Task BuildAsync(string tag, string page, string? command = null)
    {
        using var context = new TempDirectory();
        TestImages.WriteBusyboxContext(context.Path);
        File.WriteAllText(Path.Combine(context.Path, "www", "index.html"), page + "\n");

        // An image of this tag's own: the same page built by another test would be the same image (one ID, two tags),
        // and podman rmi -f of one tag would only untag it.
        File.WriteAllText(Path.Combine(context.Path, "www", "unique.txt"), tag + "\n");
        if (command is not null)
        {
            File.AppendAllText(Path.Combine(context.Path, "Containerfile"), $"\nCMD {command}\n");
        }

        await TestImages.BuildContextAsync(context.Path, tag);
        _images.Add((await PodwakeCli.RunProgramAsync("podman", ["image", "inspect", "--format", "{{.Id}}", tag])).Stdout.Trim());
    }
}
