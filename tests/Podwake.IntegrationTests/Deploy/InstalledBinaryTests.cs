using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// Issue 14's acceptance, "a fresh clone: scripts/setup, then deleting the checkout, leaves every deployed service
/// working", done for real without touching the host's /usr/local: a copy of a checkout (scripts/install-podwake, the
/// NativeAOT publish scripts/setup makes, a podwake.slnx) in a temporary folder, installed with scripts/setup's install
/// step into a temporary PODWAKE_PREFIX, a service deployed by the installed podwake into the real user manager, then
/// the checkout deleted and the service woken. Also the upgrade: a new binary installed while the activator runs.
/// </summary>
public sealed class InstalledBinaryTests
{
    [UserManagerFact]
    public async Task CheckoutDeleted_DeployedServiceStillWakes_UpgradeUnderARunningActivator()
    {
        using var dir = new TempDirectory();
        var checkout = Checkout(dir);
        var prefix = Path.Join(dir.Path, "prefix");
        var installed = Path.Join(prefix, "lib", "podwake", "podwake");
        await InstallOrFailAsync(Path.Join(checkout, "scripts", "install-podwake"), Path.Join(checkout, "artifacts", "publish", "podwake"), prefix);
        Assert.Equal("../lib/podwake/podwake", new FileInfo(Path.Join(prefix, "bin", "podwake")).LinkTarget);
        var version = await PodwakeCli.RunProgramAsync(Path.Join(prefix, "bin", "podwake"), "--version");
        Assert.Matches(@"^podwake \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}, \d{4}-\d{2}-\d{2}|unknown)\)\n$", version.Stdout);

        await using var service = new DeployedService();
        service.Write(idle: "2s");
        await TestImages.BusyboxAsync();
        var deploy = await PodwakeCli.RunProgramAsync(Path.Join(prefix, "bin", "podwake"), "deploy", service.File);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.DoesNotContain("warning", deploy.Stderr, StringComparison.Ordinal);

        Directory.Delete(checkout, recursive: true);

        var units = UnitFiles(service);
        Assert.NotEmpty(units);
        var execLines = units.Values.SelectMany(text => text.Split('\n')).Where(line => line.StartsWith("Exec", StringComparison.Ordinal)).ToList();
        Assert.Contains(execLines, line => line.StartsWith($"ExecStart={installed} activate {service.Name}", StringComparison.Ordinal));
        var programs = execLines.Select(line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Split(' ')[0])
            .Where(program => program.EndsWith("/podwake", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(programs);
        Assert.All(programs, program => Assert.Equal(installed, program));
        Assert.All(units.Values, text => Assert.DoesNotContain(checkout, text, StringComparison.Ordinal));
        Assert.All(units.Values, text => Assert.DoesNotContain(RepositoryRoot, text, StringComparison.Ordinal));

        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var activator = ActivatorPid(service);
        Assert.Equal(installed, Executable(activator));

        // An upgrade while that activator runs: a different file renamed over the one it executes (a copy into it would
        // fail with "Text file busy"). The activator goes on with the old file; the next wake runs the new one.
        var upgraded = Path.Join(dir.Path, "new", "podwake");
        Directory.CreateDirectory(Path.GetDirectoryName(upgraded)!);
        File.Copy(installed, upgraded);
        await File.AppendAllTextAsync(upgraded, "\n"); // ELF ignores trailing bytes: the same program, another file
        await InstallOrFailAsync(Path.Join(RepositoryRoot, "scripts", "install-podwake"), upgraded, prefix);
        Assert.Equal(File.ReadAllBytes(upgraded), File.ReadAllBytes(installed));
        Assert.Equal($"{installed} (deleted)", Executable(activator));
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);

        Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), $"still running: {string.Join("; ", service.ServiceProcesses())}");
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        Assert.Equal(installed, Executable(ActivatorPid(service)));
        Assert.Equal(units, UnitFiles(service));
    }

    /// <summary>
    /// Deployed by a checkout's build (warned about), then redeployed by the installed copy: the units are rewritten to
    /// the installed path, and the running container and activator are left alone (only the binary's path changed).
    /// </summary>
    [UserManagerFact]
    public async Task DeployedFromACheckout_RedeployByTheInstalledCopy_RewritesTheUnits_RestartsNothing()
    {
        using var dir = new TempDirectory();
        var checkout = Checkout(dir);
        var built = Path.Join(checkout, "artifacts", "publish", "podwake");
        var prefix = Path.Join(dir.Path, "prefix");
        var installed = Path.Join(prefix, "lib", "podwake", "podwake");

        await using var service = new DeployedService();
        service.Write(idle: "60s");
        await TestImages.BusyboxAsync();
        var first = await PodwakeCli.RunProgramAsync(built, "deploy", service.File);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"podwake: warning: the deployed units will run {built}, inside the source tree {checkout}:", first.Stderr, StringComparison.Ordinal);
        Assert.Contains($"ExecStart={built} activate", UnitFiles(service)[$"podwake-{service.Name}.service"], StringComparison.Ordinal);
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var activator = ActivatorPid(service);
        var container = await service.ContainerIdAsync();

        await InstallOrFailAsync(Path.Join(checkout, "scripts", "install-podwake"), built, prefix);
        var dryRun = await PodwakeCli.RunProgramAsync(Path.Join(prefix, "bin", "podwake"), "deploy", "--dry-run", service.File);
        Assert.Contains($"update        {Path.Join(UnitDirectory, $"podwake-{service.Name}.service")}", dryRun.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("restart", dryRun.Stdout, StringComparison.Ordinal);
        var redeploy = await PodwakeCli.RunProgramAsync(Path.Join(prefix, "bin", "podwake"), "deploy", service.File);

        Assert.True(redeploy.ExitCode == 0, redeploy.ToString());
        Assert.Contains("deployed into", redeploy.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", redeploy.Stderr, StringComparison.Ordinal);
        Assert.Contains($"ExecStart={installed} activate", UnitFiles(service)[$"podwake-{service.Name}.service"], StringComparison.Ordinal);
        Assert.All(UnitFiles(service).Values, text => Assert.DoesNotContain(checkout, text, StringComparison.Ordinal));
        Assert.Equal(activator, ActivatorPid(service));
        Assert.Equal(container, await service.ContainerIdAsync());
        Assert.True(await service.ContainerRunningAsync());
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
    }

    /// <summary>A checkout as far as installing goes: scripts/install-podwake, the NativeAOT publish, podwake.slnx.</summary>
    private static string Checkout(TempDirectory dir)
    {
        var published = Path.Join(RepositoryRoot, "artifacts", "publish", "podwake");
        Assert.True(File.Exists(published), $"no NativeAOT publish at {published}: scripts/setup (which scripts/test runs) makes it");
        var checkout = dir.CreateDirectory("checkout");
        File.WriteAllText(Path.Join(checkout, "podwake.slnx"), "<Solution />\n");
        Directory.CreateDirectory(Path.Join(checkout, "scripts"));
        File.Copy(Path.Join(RepositoryRoot, "scripts", "install-podwake"), Path.Join(checkout, "scripts", "install-podwake"));
        Directory.CreateDirectory(Path.Join(checkout, "artifacts", "publish"));
        File.Copy(published, Path.Join(checkout, "artifacts", "publish", "podwake"));
        return checkout;
    }

    private static async Task InstallOrFailAsync(string script, string binary, string prefix)
    {
        var install = await PodwakeCli.RunProgramAsync("env", $"PODWAKE_PREFIX={prefix}", script, binary);
        Assert.True(install.ExitCode == 0, $"{script} {binary}: {install}");
    }

    private static string UnitDirectory => Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "systemd", "user");

    private static Dictionary<string, string> UnitFiles(DeployedService service) =>
        Directory.Exists(UnitDirectory)
            ? Directory.EnumerateFiles(UnitDirectory, $"podwake-{service.Name}*").ToDictionary(f => Path.GetFileName(f), File.ReadAllText)
            : [];

    /// <summary>The PID of the service's running activator (<c>podwake activate NAME</c>).</summary>
    private static int ActivatorPid(DeployedService service)
    {
        var line = Assert.Single(service.ServiceProcesses(), p => p.Contains(" activate ", StringComparison.Ordinal));
        return int.Parse(line[..line.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Executable(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget;

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Join(directory.FullName, "podwake.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"no podwake.slnx above {AppContext.BaseDirectory}");
        }
    }
}
