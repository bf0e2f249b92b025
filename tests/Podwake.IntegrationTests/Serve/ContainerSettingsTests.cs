using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Serve;

/// <summary>
/// The container settings in a real container, in both runtimes: <c>env_file:</c> and <c>secrets:</c> values inside
/// it (a file secret's value absent from <c>podman inspect</c> and from every unit file), <c>user:</c> as <c>id -u</c>
/// sees it, <c>podman_args:</c> reaching podman, <c>resources.memory</c> in the container's cgroup.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ContainerSettingsTests : IDisposable
{
    private const string FileSecret = "file-secret-4f1d9a";
    private const string EnvSecret = "env-secret-77c0e2";
    private const string FromEnvFile = "from-env-file-0b3e";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Settings(string directory, string prefix)
    {
        File.WriteAllText(Path.Combine(directory, $"{prefix}.env"), $"# the app's settings\nFROM_FILE={FromEnvFile}\nOVERRIDDEN=file\n");
        File.WriteAllText(Path.Combine(directory, $"{prefix}-pass"), FileSecret);
        File.WriteAllText(Path.Combine(directory, $"{prefix}-token"), EnvSecret);
        return $$"""
            env: {OVERRIDDEN: env}
            env_file: [./{{prefix}}.env]
            secrets:
              - {name: pass, file: ./{{prefix}}-pass, target: /etc/app/pass}
              - {name: token, file: ./{{prefix}}-token, env: APP_TOKEN}
            user: "1000:1000"
            podman_args: [--hostname=pw-args-host]
            """;
    }

    [PodmanFact]
    public async Task Serve_EnvFileSecretsUserAndPodmanArgs_ReachTheContainer_TheFileSecretNotInInspect()
    {
        var svc = TestServiceFile.Create(_dir.Path, extra: Settings(_dir.Path, "serve"));
        await TestImages.BusyboxAsync();
        await using (var serve = await ServeProcess.StartServingAsync(svc.File))
        {
            Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);

            await AssertInsideAsync(svc.Container, () => serve.Stderr);
            var secrets = await PodwakeCli.RunProgramAsync("podman", "secret", "ls", "--format", "{{.Name}}");
            Assert.Contains($"podwake-{svc.Name}.pass", secrets.Stdout, StringComparison.Ordinal);
        }

        // serve's exit removes the secrets it made, as it removes its containers.
        var after = await PodwakeCli.RunProgramAsync("podman", "secret", "ls", "--format", "{{.Name}}");
        Assert.DoesNotContain($"podwake-{svc.Name}.", after.Stdout, StringComparison.Ordinal);
    }

    [UserManagerFact]
    public async Task Deploy_EnvFileSecretsUserAndPodmanArgs_ReachTheContainer_NoValueInAnyUnitFile_UndeployRemovesTheSecrets()
    {
        await using var service = new DeployedService();
        service.Write(extra: Settings(service.Directory, "deploy") + "\n");
        await TestImages.BusyboxAsync();
        var plan = await PodwakeCli.RunAsync("deploy", "--dry-run", service.File);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains($"create        /usr/bin/podman create --name {service.ContainerName} ", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains($"--secret podwake-{service.Name}.pass,type=mount,target=/etc/app/pass", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("--user 1000:1000", plan.Stdout, StringComparison.Ordinal);
        Assert.Contains("--hostname=pw-args-host", plan.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, plan.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, plan.Stdout, StringComparison.Ordinal);
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        await AssertInsideAsync(service.ContainerName, () => "");
        var units = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "systemd", "user");
        foreach (var unit in Directory.EnumerateFiles(units, $"podwake-{service.Name}*"))
        {
            var text = File.ReadAllText(unit);
            Assert.DoesNotContain(FileSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(EnvSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(FromEnvFile, text, StringComparison.Ordinal);
        }

        var generated = await PodwakeCli.RunAsync("generate", service.File);
        Assert.Contains($"# podwake deploy creates it with: /usr/bin/podman create --name {service.ContainerName} ", generated.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FileSecret, generated.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, generated.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await PodwakeCli.RunAsync("undeploy", service.Name)).ExitCode);
        var secrets = await PodwakeCli.RunProgramAsync("podman", "secret", "ls", "--format", "{{.Name}}");
        Assert.DoesNotContain($"podwake-{service.Name}.", secrets.Stdout, StringComparison.Ordinal);
    }

    [PodmanFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task Serve_MemoryAndPidsLimits_AreTheContainersCgroupLimits()
    {
        var svc = TestServiceFile.Create(_dir.Path, extra: "resources: {memory: 96m, pids: 64}");
        await TestImages.BusyboxAsync();
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);

        // cgroup v2 (memory.max) or v1 (memory/memory.limit_in_bytes), whichever this host mounts in the container.
        var memory = await ExecAsync(svc.Container, "/bin/busybox", "sh", "-c",
            "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        var pids = await ExecAsync(svc.Container, "/bin/busybox", "sh", "-c",
            "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max");
        Assert.Equal((96L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), memory.Trim());
        Assert.Equal("64", pids.Trim());
    }

    [PodmanFact(RunsAs.Rootless)]
    [Trait("runs-as", "rootless")]
    public async Task Serve_RootlessResources_AreRefusedWhereRootlessPodmanWouldIgnoreThem_AppliedWhereItCan()
    {
        var svc = TestServiceFile.Create(_dir.Path, extra: "resources: {memory: 96m}");
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            // cgroups v2: rootless podman applies the limit.
            await using var serve = await ServeProcess.StartServingAsync(svc.File);
            Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
            Assert.Equal((96L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), (await ExecAsync(svc.Container, "/bin/busybox", "cat", "/sys/fs/cgroup/memory.max")).Trim());
            return;
        }

        await using var refused = ServeProcess.Start("serve", svc.File);
        Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"{svc.File}:1:1: error: resources: rootless podman cannot apply limits on this host", refused.Stderr, StringComparison.Ordinal);
        var containers = await PodwakeCli.RunProgramAsync("podman", "ps", "-a", "--format", "{{.Names}}");
        Assert.DoesNotContain(svc.Container, containers.Stdout, StringComparison.Ordinal);
    }

    private static async Task AssertInsideAsync(string container, Func<string> log)
    {
        Assert.Equal("1000", (await ExecAsync(container, "/bin/busybox", "id", "-u")).Trim());
        Assert.Equal(FromEnvFile, (await ExecAsync(container, "/bin/busybox", "sh", "-c", "echo $FROM_FILE")).Trim());
        Assert.Equal("env", (await ExecAsync(container, "/bin/busybox", "sh", "-c", "echo $OVERRIDDEN")).Trim());
        Assert.Equal(EnvSecret, (await ExecAsync(container, "/bin/busybox", "sh", "-c", "echo $APP_TOKEN")).Trim());
        Assert.Equal(FileSecret, await ExecAsync(container, "/bin/busybox", "cat", "/etc/app/pass"));
        Assert.Equal("pw-args-host", (await ExecAsync(container, "/bin/busybox", "hostname")).Trim());

        var inspect = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", container);
        Assert.True(inspect.ExitCode == 0, $"{inspect}\n{log()}");
        Assert.DoesNotContain(FileSecret, inspect.Stdout, StringComparison.Ordinal);
    }

    private static async Task<string> ExecAsync(string container, params string[] command)
    {
        var result = await PodwakeCli.RunProgramAsync("podman", ["exec", container, .. command]);
        Assert.True(result.ExitCode == 0, $"podman exec {container} {string.Join(' ', command)}: {result}");
        return result.Stdout;
    }
}
