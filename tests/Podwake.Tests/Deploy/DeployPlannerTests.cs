using Podwake.Cli;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Specs;
using Podwake.Systemd;
using Xunit;

namespace Podwake.Tests.Deploy;

public sealed class DeployPlannerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// <c>podwake generate</c> prints every unit file deploy writes (own units into the home's manager, expose units into
    /// the system's), with the same options, in order; no podman: the network backend is given.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PlanFiles_TcpUdpAndExpose_AreExactlyTheUnitsGeneratePrints(bool networkNamespaces)
    {
        var name = $"gencmp{Environment.ProcessId}";
        var file = _dir.Write("service.yaml", $"""
            name: {name}
            image: localhost/gencmp:1
            ports:
              - listen: 127.0.0.1:18080
                container: 80
              - listen: 127.0.0.1:18053
                container: 53
                protocol: udp
              - listen: 127.0.0.1:18443
                container: 443
            idle: 30s
            expose:
              - listen: 0.0.0.0:80
                to: 18080
              - listen: "[::]:443"
                to: 18443
            """);
        var loaded = SpecLoader.Load([file]);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        var spec = Assert.Single(loaded.Services);
        var home = _dir.CreateDirectory("root");
        var me = new UnixUser("root", 0, 0, home);
        var planner = new DeployPlanner(
            new DeployOptions { PodwakePath = "/opt/podwake/podwake" }, me, _ => Task.FromResult(networkNamespaces));

        var printed = GenerateCommand.Render(loaded.Services, await planner.GeneratorOptionsAsync(loaded.Services), home);
        var target = new DeployTarget(new SystemdManager(false, null, home, "/run/user/0"), null, false, Rootless: false);
        var (files, _, _) = planner.PlanFiles(spec, target, planner.ExposeTarget());

        var units = files.Where(f => f.IsUnit && f.Content is not null).ToList();
        Assert.Equal(
            string.Join("\n", units.Select(f => $"# {Path.GetFileName(f.Path)}\n{f.Content}")),
            printed);
        Assert.Equal(
            [
                $"podwake-{name}.socket", $"podwake-{name}.service", $"podwake-{name}-container.service",
                .. networkNamespaces ? [$"podwake-{name}-network.service"] : Array.Empty<string>(),
                $"podwake-{name}-expose-18080.socket", $"podwake-{name}-expose-18080.service",
                $"podwake-{name}-expose-18443.socket", $"podwake-{name}-expose-18443.service",
            ],
            units.Select(f => Path.GetFileName(f.Path)));
        Assert.Contains("ListenDatagram=127.0.0.1:18053", printed, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/podwake/podwake activate", printed, StringComparison.Ordinal);
    }

    /// <summary>
    /// A pod service's deploy state: the spec copy naming deploy's copy of the pod file (which loads back as the same
    /// service), that copy, and the play file; rootless, a redeploy keeps the loopback ports the installed play file
    /// publishes, so an unchanged service plans no change (and replays nothing).
    /// </summary>
    [Fact]
    public void PlanFiles_PodService_CopiesThePodFile_KeepsItsLoopbackPortsOnRedeploy()
    {
        _dir.Write("pod.yaml", Specs.PodSpecTests.Fixed);
        var file = _dir.Write("service.yaml", "name: podplan\npod: ./pod.yaml\nports: [{listen: 127.0.0.1:18080, container: 8080}]\n");
        var loaded = SpecLoader.Load([file]);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Diagnostics));
        var spec = Assert.Single(loaded.Services);
        var home = _dir.CreateDirectory("home");
        var planner = new DeployPlanner(new DeployOptions { PodwakePath = "/opt/podwake/podwake" }, new UnixUser("u", 1000, 1000, home), _ => Task.FromResult(true));
        var target = new DeployTarget(new SystemdManager(false, null, home, _dir.CreateDirectory("run")), null, false, Rootless: true);

        var (files, _, _) = planner.PlanFiles(spec, target, null);

        var services = Path.Combine(home, ".config/podwake/services");
        Assert.Equal(
            ["podwake-podplan.socket", "podwake-podplan.service", "podwake-podplan-container.service", "podplan.yaml", "podplan.pod.yml", "podplan.play.yml"],
            files.Select(f => Path.GetFileName(f.Path)));
        Assert.All(files, f => Assert.Equal(FileChange.Create, f.Change));
        Assert.Equal(Specs.PodSpecTests.Fixed, files.Single(f => f.Path.EndsWith(".pod.yml", StringComparison.Ordinal)).Content);
        foreach (var planned in files.Where(f => f.Path.StartsWith(services, StringComparison.Ordinal)))
        {
            _dir.Write(Path.GetRelativePath(_dir.Path, planned.Path), planned.Content!);
        }

        var copy = Assert.Single(SpecLoader.Load([Path.Combine(services, "podplan.yaml")]).Services);
        Assert.Equal(Path.Combine(services, "podplan.pod.yml"), copy.Pod);
        Assert.Equal(spec.Ports.Single().ContainerPort, copy.Ports.Single().ContainerPort);
        var published = Podwake.Pods.KubePlayFile.PublishedPorts(files.Single(f => f.Path.EndsWith(".play.yml", StringComparison.Ordinal)).Content!);
        Assert.True(published.TryGetValue(8080, out var port) && port > 0, string.Join(", ", published));

        var (again, _, _) = planner.PlanFiles(spec, target, null);

        Assert.All(again.Where(f => f.Path.StartsWith(services, StringComparison.Ordinal)), f => Assert.Equal(FileChange.Unchanged, f.Change));
        Assert.DoesNotContain(again, f => f.Path.Contains("network", StringComparison.Ordinal));
    }

    /// <summary>
    /// A side-car service: its path and sync units exactly as generate prints them, watching the state folder below the
    /// deploying user's home, then the spec copy; no socket, no container unit.
    /// </summary>
    [Fact]
    public async Task PlanFiles_SidecarService_AreThePathAndSyncUnitsGeneratePrints()
    {
        var spec = Tests.Units.SidecarTestSpecs.Dnsmasq(wrapper: Path.Combine(_dir.Path, "dnsmasq-wrapper"));
        var home = _dir.CreateDirectory("home");
        var planner = new DeployPlanner(new DeployOptions { PodwakePath = "/opt/podwake/podwake" }, new UnixUser("u", 1000, 1000, home), _ => Task.FromResult(true));
        var target = new DeployTarget(new SystemdManager(false, null, home, _dir.CreateDirectory("run")), null, false, Rootless: true);

        var printed = GenerateCommand.Render([spec], await planner.GeneratorOptionsAsync([spec]), home);
        var (files, socketListenChanged, _) = planner.PlanFiles(spec, target, null);

        var units = files.Where(f => f.IsUnit).ToList();
        Assert.Equal(string.Join("\n", units.Select(f => $"# {Path.GetFileName(f.Path)}\n{f.Content}")), printed);
        Assert.Equal(["podwake-dnsmasq-sidecar.path", "podwake-dnsmasq-sidecar.service", "dnsmasq.yaml"], files.Select(f => Path.GetFileName(f.Path)));
        Assert.Contains($"PathModified={home}/.local/state/podwake/sidecars/dnsmasq/timestamp\n", printed, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/podwake/podwake sidecar sync dnsmasq --spec %E/podwake/services/dnsmasq.yaml\n", printed, StringComparison.Ordinal);
        Assert.False(socketListenChanged);
    }

    /// <summary>
    /// The wrapper: created where nothing is, unchanged when podwake's own is there with the same text, updated when an
    /// older one of podwake's is; someone else's file there is a problem at sidecar:, and deploy would not write it.
    /// </summary>
    [Fact]
    public void SidecarInstall_WrapperPath_CreateUnchangedUpdateOrRefused()
    {
        var wrapper = Path.Combine(_dir.Path, "dnsmasq-wrapper");
        var spec = Tests.Units.SidecarTestSpecs.Dnsmasq(wrapper: wrapper);
        var paths = Podwake.Sidecars.SidecarPaths.For(spec.Name, root: false, _dir.Path);

        var (created, none) = SidecarServicePlanner.Install(spec, paths);
        Assert.Equal((FileChange.Create, false, (Diagnostic?)null), (created.WrapperChange, created.StateExists, none));
        Assert.True(created.Changes);

        File.WriteAllText(wrapper, created.WrapperText);
        Directory.CreateDirectory(paths.Directory);
        var (same, _) = SidecarServicePlanner.Install(spec, paths);
        Assert.Equal((FileChange.Unchanged, true), (same.WrapperChange, same.StateExists));
        Assert.False(same.Changes);

        File.WriteAllText(wrapper, created.WrapperText.Replace("/usr/sbin/dnsmasq", "/usr/sbin/old", StringComparison.Ordinal) + "# older\n");
        Assert.Equal(FileChange.Update, SidecarServicePlanner.Install(spec, paths).Plan.WrapperChange);

        File.WriteAllText(wrapper, "#!/bin/sh\nexec /usr/sbin/dnsmasq \"$@\"\n");
        var (_, refused) = SidecarServicePlanner.Install(spec, paths);
        Assert.NotNull(refused);
        Assert.Equal(spec.Sidecar!.Location, refused.Location);
        Assert.Contains("is not a podwake side-car wrapper", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>--dry-run of a side-car service names the wrapper and the state folder and creates no container.</summary>
    [Fact]
    public void Describe_SidecarService_ShowsWrapperStateFolderAndNoContainer()
    {
        var spec = Tests.Units.SidecarTestSpecs.Dnsmasq();
        var target = new DeployTarget(new SystemdManager(false, null, "/root", "/run/user/0"), null, false, Rootless: false);
        var install = new SidecarInstallPlan(spec.Sidecar!.Wrapper, "", FileChange.Create, "/var/lib/podwake/sidecars/dnsmasq", false);
        var plan = new DeployPlan([new ServicePlan(spec, target, null, [], ImageAction.Present, "sha", ContainerAction.Keep, false, false) { Sidecar = install }]);

        var text = plan.Describe();

        Assert.Contains("  create        /var/lib/neutron/dnsmasq-wrapper (the wrapper)\n", text, StringComparison.Ordinal);
        Assert.Contains("  create        /var/lib/podwake/sidecars/dnsmasq/ (the state folder", text, StringComparison.Ordinal);
        Assert.Contains("containers    one per key, made by podwake-dnsmasq-sidecar.service", text, StringComparison.Ordinal);
        Assert.Contains("run           podwake-dnsmasq-sidecar.service once", text, StringComparison.Ordinal);
        Assert.DoesNotContain("container     ", text, StringComparison.Ordinal);
    }

    /// <summary>A name deployed as the other kind of service (ports: or sidecar:) is a problem: undeploy it first.</summary>
    [Fact]
    public void KindProblem_NameDeployedAsTheOtherKind_SaysToUndeployFirst()
    {
        var sidecar = Tests.Units.SidecarTestSpecs.Dnsmasq();
        var listener = sidecar with { Sidecar = null };
        var home = _dir.CreateDirectory("home");
        var target = new DeployTarget(new SystemdManager(false, null, home, _dir.CreateDirectory("run")), null, false, Rootless: true);
        Assert.Null(SidecarServicePlanner.KindProblem(sidecar, target));
        Assert.Null(SidecarServicePlanner.KindProblem(listener, target));

        _dir.Write(Path.GetRelativePath(_dir.Path, Path.Combine(target.Manager.UnitDirectory, "podwake-dnsmasq.socket")), "[Socket]\n");
        var problem = SidecarServicePlanner.KindProblem(sidecar, target);
        Assert.NotNull(problem);
        Assert.Contains("podwake undeploy dnsmasq", problem.Message, StringComparison.Ordinal);
        Assert.Null(SidecarServicePlanner.KindProblem(listener, target));

        File.Delete(Path.Combine(target.Manager.UnitDirectory, "podwake-dnsmasq.socket"));
        _dir.Write(Path.GetRelativePath(_dir.Path, Path.Combine(target.Manager.UnitDirectory, "podwake-dnsmasq-sidecar.path")), "[Path]\n");
        Assert.NotNull(SidecarServicePlanner.KindProblem(listener, target));
        Assert.Null(SidecarServicePlanner.KindProblem(sidecar, target));
    }
}
