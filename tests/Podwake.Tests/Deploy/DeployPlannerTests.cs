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

        var printed = GenerateCommand.Render(loaded.Services, await planner.GeneratorOptionsAsync(loaded.Services));
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
}
